// The shapes deploy-service serves under /api/v1 (api/EnvironmentView, deployments/Deployment,
// deployments/EnvironmentStatus). deployment.<state> events carry the Deployment; deployment.paused and
// deployment.resumed the EnvironmentStatus.

export type DeploymentState =
  | 'queued'
  | 'waiting'
  | 'in_progress'
  | 'verifying'
  | 'success'
  | 'failure'
  | 'error'
  | 'inactive';

export interface Deployment {
  id: string;
  environment: string;
  sha: string;
  kind: 'deploy' | 'revert' | 'redeploy';
  buildId?: string;
  state: DeploymentState;
  requestedBy?: string;
  createdAt: string;
  updatedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  environmentCommit?: string;
  approval?: { approved: boolean; by: string; reason: string; at: string };
  healthy: boolean;
  revertOf?: string;
  lastGood?: string;
  revertedBy?: string;
  reason?: string;
  revision: number;
}

export interface Pause {
  reason: 'reverted' | 'revert_failed' | 'operator';
  by: string;
  detail: string;
  at: string;
  head?: string;
}

export interface Environment {
  name: string;
  branch: string;
  autoDeploy: boolean;
  production: boolean;
  approval: boolean;
  requires: string[];
  onFailure: string;
  environmentBranch?: string;
  current?: Deployment;
  lastGood?: Deployment;
  active?: Deployment;
  paused: boolean;
  pause?: Pause;
  /** shares 0..1; a window is absent while nothing ran to an end in it */
  successRate?: { days7?: number; days30?: number };
}

export interface EnvironmentProblem {
  file: string;
  environment?: string;
  field?: string;
  message: string;
}

export interface EnvironmentList {
  environments: Environment[];
  problems: EnvironmentProblem[];
}

export interface DeploymentPage {
  deployments: Deployment[];
  next?: string;
}

export function isDeployment(data: unknown): data is Deployment {
  const deployment = data as Deployment;
  return (
    !!deployment &&
    typeof deployment.id === 'string' &&
    typeof deployment.environment === 'string' &&
    typeof deployment.state === 'string'
  );
}
