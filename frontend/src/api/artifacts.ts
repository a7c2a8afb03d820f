// The shapes artifact-service serves under /api/v1/artifacts (api/ArtifactViews). Listings follow the registry's
// pull rule: an anonymous caller gets 401, whatever the gateway's anonymous reads allow.

export interface Repository {
  name: string;
  artifacts: number;
  tags: number;
  bytes: number;
  lastPushedAt?: string;
}

export interface Storage {
  usedBytes: number;
  objects: number;
  quotaBytes: number;
  /** 0..1 */
  quotaUsed: number;
  /** ok, warning or critical: the service's capacity thresholds */
  level: string;
  reclaimableBytes: number;
  backend?: string;
}

export interface RepositoryList {
  repositories: Repository[];
  storage: Storage;
}

export interface Artifact {
  repository: string;
  digest: string;
  mediaType?: string;
  artifactType?: string;
  size: number;
  tags: string[];
  pushedAt?: string;
  pushedBy?: string;
  pulls: number;
  lastPulledAt?: string;
  subject?: string;
}

export interface ArtifactList {
  repository: string;
  artifacts: Artifact[];
}
