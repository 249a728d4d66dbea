import { Duration, Token } from 'aws-cdk-lib';
import {
  HttpIntegrationType,
  HttpMethod,
  HttpRouteIntegration,
  HttpRouteIntegrationBindOptions,
  HttpRouteIntegrationConfig,
  ParameterMapping,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { configError } from '../private/errors';
import { HttpTimeout } from '../private/timeout';

/**
 * Properties of an HttpUrlIntegration.
 */
export interface HttpUrlIntegrationProps {
  /**
   * The HTTP method API Gateway uses to call the URL.
   * @default HttpMethod.ANY - the method of the incoming request
   */
  readonly method?: HttpMethod;

  /**
   * Changes to the request before it is sent to the URL.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
   * @default - the request is passed on unchanged
   */
  readonly parameterMapping?: ParameterMapping;

  /**
   * How long API Gateway waits for the URL to answer: 50 ms to 30 s.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
}

/**
 * Forwards the requests of an HTTP API route to a publicly reachable URL (HTTP proxy integration).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-http.html
 */
export class HttpUrlIntegration extends HttpRouteIntegration {
  private readonly timeout: HttpTimeout;

  /**
   * @param id id of the underlying integration construct
   * @param url an absolute http:// or https:// URL (a token is accepted unchecked)
   * @param props properties of the integration
   */
  constructor(id: string, private readonly url: string, private readonly props: HttpUrlIntegrationProps = {}) {
    super(id);
    if (!Token.isUnresolved(url) && !/^https?:\/\/[^/\s]+/i.test(url)) {
      configError(id, 'UrlNotHttp', 'HttpUrlIntegration', 'url',
        `'${url}' is not an absolute http:// or https:// URL; API Gateway HTTP proxy integrations only call HTTP(S) endpoints`,
        "pass a URL such as 'https://example.com/path'");
    }
    this.timeout = new HttpTimeout('HttpUrlIntegration', id, props.timeout);
  }

  public bind(_options: HttpRouteIntegrationBindOptions): HttpRouteIntegrationConfig {
    return {
      method: this.props.method ?? HttpMethod.ANY,
      payloadFormatVersion: PayloadFormatVersion.VERSION_1_0,
      type: HttpIntegrationType.HTTP_PROXY,
      uri: this.url,
      parameterMapping: this.props.parameterMapping,
      timeout: this.timeout.forBase,
    };
  }

  protected completeBind(options: HttpRouteIntegrationBindOptions): void {
    this.timeout.apply(options.scope);
  }
}
