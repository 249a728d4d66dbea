import { TemplateResolver } from '../assembly/intrinsics';

/** An `AWS::StepFunctions::StateMachine` as the runner runs it. */
export interface StateMachineModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  /** The Amazon States Language definition, parsed; undefined when it could not be resolved. */
  readonly definition?: Record<string, any>;
  /** Why the runner cannot run it (a definition from S3, a JSONata machine). */
  readonly notEmulated?: string;
}

/** Every state machine of the stack, with its definition resolved and parsed. */
export function readStateMachines(resolver: TemplateResolver): StateMachineModel[] {
  return resolver.resourcesOfType('AWS::StepFunctions::StateMachine').map(([id, resource]) => {
    const p = resource.Properties ?? {};
    const base = {
      logicalId: id,
      name: resolver.nameOf(id),
      arn: resolver.resolveString({ Ref: id }, id)!,
      type: resolver.resolveString(p.StateMachineType, `${id}.StateMachineType`) === 'EXPRESS' ? 'EXPRESS' as const : 'STANDARD' as const,
    };
    if (p.DefinitionS3Location !== undefined) return { ...base, notEmulated: 'state machine definition from S3 (DefinitionS3Location)' };
    // DefinitionSubstitutions fill `${name}` placeholders of the definition before it is parsed.
    const substitutions: Record<string, unknown> = resolver.resolve(p.DefinitionSubstitutions ?? {}, `${id}.DefinitionSubstitutions`) ?? {};
    const text = p.Definition !== undefined
      ? JSON.stringify(resolver.resolve(p.Definition, `${id}.Definition`))
      : resolver.resolveString(p.DefinitionString, `${id}.DefinitionString`);
    if (text === undefined) return { ...base, notEmulated: 'a state machine definition the runner could not resolve' };
    let definition: Record<string, any>;
    try {
      definition = JSON.parse(text.replace(/\$\{([^}]+)\}/g, (whole, key: string) => (key in substitutions ? String(substitutions[key]) : whole)));
    } catch (error) {
      return { ...base, notEmulated: `a state machine definition that is not JSON (${(error as Error).message})` };
    }
    // aws-local-stepfunctions interprets JSONPath only; a JSONata state would silently pass its input through.
    if (usesJsonata(definition)) return { ...base, definition, notEmulated: 'JSONata states (the interpreter runs JSONPath only)' };
    return { ...base, definition };
  });
}

function usesJsonata(definition: Record<string, any>): boolean {
  if (definition.QueryLanguage === 'JSONata') return true;
  return Object.values(definition.States ?? {}).some((state: any) => state?.QueryLanguage === 'JSONata'
    || (state?.Branches ?? []).some(usesJsonata)
    || (state?.ItemProcessor && usesJsonata(state.ItemProcessor))
    || (state?.Iterator && usesJsonata(state.Iterator)));
}
