import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The container service a private target runs when none is given.
 */
export interface ServiceOptions {
  /**
   * The container image of the service.
   * @default - a small public web server image (nginx from the ECR Public Gallery)
   */
  readonly containerImage?: ecs.ContainerImage;
  /**
   * The port the container listens on.
   * @default 80
   */
  readonly containerPort?: number;
  /**
   * How many tasks run.
   * @default 2
   */
  readonly desiredCount?: number;
}

export const DEFAULT_IMAGE = 'public.ecr.aws/nginx/nginx:stable-alpine';

/** A Fargate service in the VPC's private subnets: no public IP, Container Insights, logs. */
export function fargateService(
  scope: Construct, vpc: ec2.IVpc, options: ServiceOptions, logRetention = logs.RetentionDays.ONE_MONTH, cloudMap?: ecs.CloudMapOptions,
): ecs.FargateService {
  const cluster = new ecs.Cluster(scope, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const task = new ecs.FargateTaskDefinition(scope, 'Task', { cpu: 256, memoryLimitMiB: 512 });
  task.addContainer('Web', {
    image: options.containerImage ?? ecs.ContainerImage.fromRegistry(DEFAULT_IMAGE),
    portMappings: [{ containerPort: options.containerPort ?? 80 }],
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web', logRetention }),
  });
  return new ecs.FargateService(scope, 'Service', {
    cluster,
    taskDefinition: task,
    desiredCount: options.desiredCount ?? 2,
    assignPublicIp: false,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    cloudMapOptions: cloudMap,
    // A deployment whose tasks keep failing stops within minutes and rolls back, rather than after ECS's 3-hour wait.
    circuitBreaker: { enable: true, rollback: true },
    // Never below the desired count during a deployment; up to twice it while new tasks start.
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
  });
}
