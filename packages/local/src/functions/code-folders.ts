// Functions' code laid out as Lambda lays it out before it starts an
// execution environment: a .zip package unpacked into the code folder
// (/var/task), and the function's layers merged into one folder (/opt).
// Inline code is the pool's (see FunctionPool).
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_UNZIPPED_BYTES, unzipInto } from './unzip';
import { assetPath, AssemblyStack } from '../assembly/cloud-assembly';
import { FunctionModel, LayerContent } from '../model/functions';

/** What became of one .zip asset: the folder it was unpacked into, or why it was refused. */
type Unpacked = { readonly dir: string } | { readonly refused: string };

/**
 * The folders of a stack's functions' code: created at startup, removed at
 * stop (and on the process's exit, so a second Ctrl-C leaves none behind).
 */
export class CodeFolders {
  private readonly root = mkdtempSync(join(tmpdir(), 'apigw-local-code-'));
  private readonly unpacked = new Map<string, Unpacked>();
  private readonly merged = new Map<string, string>();
  private count = 0;

  constructor() {
    process.on('exit', this.remove);
  }

  /**
   * Unpacks every .zip asset of the stack's Node.js functions (`Code`) and
   * of its layers (`Content`). Before the APIs listen: it is the one slow
   * part, and the routes are then wired without waiting. A corrupt archive
   * or one with an entry that would leave its folder is refused, and its
   * function not run.
   */
  public async unpack(stack: AssemblyStack): Promise<void> {
    for (const [id, resource] of Object.entries(stack.template.Resources ?? {})) {
      const runnable = resource.Type === 'AWS::Lambda::Function' && /^nodejs/.test(String(resource.Properties?.Runtime ?? ''));
      const property = runnable ? 'Code' : resource.Type === 'AWS::Lambda::LayerVersion' ? 'Content' : undefined;
      if (!property) continue;
      // The CDK writes an asset's object key as a plain string; one built with intrinsics has no local asset anyway.
      const key = resource.Properties?.[property]?.S3Key;
      const asset = assetPath(stack, id, property, typeof key === 'string' ? key : undefined);
      if (asset && !this.unpacked.has(asset) && /\.zip$/i.test(asset)) await this.unzip(asset);
    }
  }

  /**
   * The functions as the pool runs them: zip code replaced by its folder,
   * layers merged into `optDir`. One whose
   * zip was refused (or whose code or layers are not .zip files or folders)
   * is not emulated, with the asset and the reason.
   */
  public place(functions: FunctionModel[]): FunctionModel[] {
    return functions.map((fn) => {
      if (fn.notEmulated || !fn.code) return fn;
      const code = 'zip' in fn.code ? this.unpacked.get(fn.code.zip) : fn.code;
      if (!code || 'refused' in code) return { ...fn, notEmulated: this.refusal('code', fn.code, code) };
      const layers = (fn.layers ?? []).map((layer) => ('zip' in layer ? this.unpacked.get(layer.zip) : layer));
      const refused = layers.findIndex((layer) => !layer || 'refused' in layer);
      if (refused >= 0) return { ...fn, code, notEmulated: this.refusal('layer', fn.layers![refused], layers[refused]) };
      const dirs = layers.map((layer) => (layer as { dir: string }).dir);
      return { ...fn, code, optDir: dirs.length ? this.merge(dirs) : undefined };
    });
  }

  /** Removes every folder; synchronous, so that it also runs on the process's `exit`. */
  public readonly remove = (): void => {
    process.off('exit', this.remove);
    rmSync(this.root, { recursive: true, force: true });
  };

  private async unzip(asset: string): Promise<void> {
    const dir = this.folder('zip');
    try {
      await unzipInto(asset, dir, { bytes: MAX_UNZIPPED_BYTES });
      this.unpacked.set(asset, { dir });
    } catch (error) {
      // yauzl's messages name what is wrong ("invalid relative path: ../x", "end of central directory record signature not found").
      this.unpacked.set(asset, { refused: (error as Error).message });
    }
  }

  /**
   * One folder holding the layers' content, merged in the function's order:
   * "the order in which you add the layers is the order in which Lambda
   * merges the layer content", a later layer's file replacing an earlier
   * one's (https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html).
   * Functions with the same layers share it.
   */
  private merge(dirs: string[]): string {
    const key = dirs.join('\n');
    const existing = this.merged.get(key);
    if (existing) return existing;
    const opt = this.folder('opt');
    for (const dir of dirs) cpSync(dir, opt, { recursive: true, force: true, verbatimSymlinks: true });
    this.merged.set(key, opt);
    return opt;
  }

  private refusal(kind: 'code' | 'layer', asset: FunctionModel['code'] | LayerContent, unpacked: Unpacked | undefined): string {
    const path = asset && 'zip' in asset ? asset.zip : asset && 'dir' in asset ? asset.dir : '(inline code)';
    const why = unpacked && 'refused' in unpacked ? unpacked.refused : 'it is neither a folder nor a .zip file';
    return `Lambda ${kind} asset ${path}, which cannot be unpacked: ${why}`;
  }

  private folder(kind: string): string {
    const dir = join(this.root, `${kind}-${++this.count}`);
    mkdirSync(dir);
    return dir;
  }
}
