/**
 * What every add-on chart shares while the platform is built: the model, the pins, and the
 * registries the cross-cutting charts render from (releases -> GitOps objects, namespaces ->
 * security baseline, hostnames -> certificates).
 */
import type { Chart } from 'cdk8s';
import type { ClusterModel } from '../spec';
import type { GitManifests, Release } from './release';
import type { PlatformVersions } from './versions';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** Explicit network allows on top of a namespace's default deny. */
export type NetworkAllow =
  /** egress to cluster DNS (every namespace gets it). */
  | 'dns'
  /** egress to the Kubernetes API (VIP, control planes). */
  | 'apiserver'
  /** ingress and egress between pods of the namespace. */
  | 'same-namespace'
  /** ingress from the ingress controller's namespace. */
  | 'from-ingress'
  /** ingress from Prometheus (metrics scraping). */
  | 'from-monitoring'
  /** ingress to Loki's push port from the API audit log shipper (logging-audit.ts). */
  | 'from-audit-shipper'
  /** ingress from the node network: API server calling webhooks, kubelet probes. */
  | 'from-nodes'
  /** ingress on 80/443 from anywhere (the ingress controller's LoadBalancer). */
  | 'http-from-anywhere'
  /** egress outside the cluster (chart/image registries, ACME, S3, Git). */
  | 'egress-external'
  /** egress to every pod in the cluster (Prometheus scraping, ingress controller upstreams). */
  | 'egress-cluster'
  /** egress to the node network (scraping node exporters, kubelets, control-plane metrics). */
  | 'egress-nodes'
  /** egress to Loki's pods on its push port only (a log shipper in another namespace). */
  | 'egress-loki';

export interface NamespaceRequest {
  readonly name: string;
  /** Add-on owning the namespace (its app.kubernetes.io/name). */
  readonly addon: string;
  readonly version: string;
  /** @default 'restricted' */
  readonly podSecurity?: PodSecurityLevel;
  /** Why the namespace is not restricted; required unless restricted. */
  readonly reason?: string;
  /** Allows besides 'dns' (always granted). @default [] */
  readonly allow?: readonly NetworkAllow[];
}

export interface HostnameRequest {
  /** Fully qualified name under the cluster domain. */
  readonly host: string;
  /** Namespace of the Ingress (where the TLS Secret must exist). */
  readonly namespace: string;
  readonly secretName: string;
  readonly addon: string;
  /** The Service behind the hostname (routes of the Gateway API option point at it). */
  readonly backend: HostnameBackend;
}

export interface HostnameBackend {
  readonly service: string;
  readonly port: number;
  /** Container port the Service forwards to (what a NetworkPolicy on the backend pods sees). */
  readonly targetPort: number;
}

interface RegisteredRelease {
  readonly release: Release;
  readonly scope: Chart;
}

export class Platform {
  public readonly model: ClusterModel;
  public readonly versions: PlatformVersions;
  private readonly releaseList: RegisteredRelease[] = [];
  private readonly gitList: { readonly manifests: GitManifests; readonly scope: Chart }[] = [];
  private readonly namespaceMap = new Map<string, NamespaceRequest>();
  private readonly hostnameList: HostnameRequest[] = [];

  constructor(model: ClusterModel, versions: PlatformVersions) {
    this.model = model;
    this.versions = versions;
  }

  public get engine(): 'argocd' | 'flux' | 'none' {
    return this.model.gitops.engine;
  }

  /** Name of the default StorageClass (local-path or nfs-csi). */
  public get storageClass(): string {
    return this.model.storage.className;
  }

  /** True when platform hostnames are served by a Gateway with HTTPRoutes (no Ingress objects). */
  public get gatewayApi(): boolean {
    return this.model.ingress.kind === 'gateway-api';
  }

  /** IngressClass every platform Ingress uses. */
  public get ingressClass(): string {
    return 'nginx';
  }

  /** ClusterIssuer of the platform's own certificates (internal CA: the domain is private). */
  public get platformIssuer(): string {
    return 'platform-ca';
  }

  public addRelease(scope: Chart, release: Release): Release {
    if (this.releaseList.some((r) => r.release.name === release.name)) {
      throw new Error(`release registered twice, received: ${JSON.stringify(release.name)}`);
    }
    this.releaseList.push({ release, scope });
    return release;
  }

  public addGitManifests(scope: Chart, manifests: GitManifests): GitManifests {
    if (this.gitList.some((g) => g.manifests.name === manifests.name) || this.releaseList.some((r) => r.release.name === manifests.name)) {
      throw new Error(`delivery unit registered twice, received: ${JSON.stringify(manifests.name)}`);
    }
    this.gitList.push({ manifests, scope });
    return manifests;
  }

  /** Plain manifests from Git repositories (neutral model, like releases). */
  public get gitManifests(): readonly { readonly manifests: GitManifests; readonly scope: Chart }[] {
    return this.gitList;
  }

  public get releases(): readonly RegisteredRelease[] {
    return this.releaseList;
  }

  public release(name: string): Release | undefined {
    return this.releaseList.find((r) => r.release.name === name)?.release;
  }

  public addNamespace(request: NamespaceRequest): string {
    const level = request.podSecurity ?? 'restricted';
    if (level !== 'restricted' && !request.reason) {
      throw new Error(`namespace ${request.name}: pod security ${level} needs a reason, received reason: ${JSON.stringify(request.reason)}`);
    }
    const existing = this.namespaceMap.get(request.name);
    if (existing) {
      throw new Error(`namespace requested twice (by ${existing.addon} and ${request.addon}), received: ${JSON.stringify(request.name)}`);
    }
    this.namespaceMap.set(request.name, request);
    return request.name;
  }

  public get namespaces(): readonly NamespaceRequest[] {
    return [...this.namespaceMap.values()];
  }

  /** Registers `<sub>.<domain>` with its TLS Secret and the Service serving it; returns the FQDN. */
  public addHostname(sub: string, namespace: string, secretName: string, addon: string, backend: HostnameBackend): string {
    const host = `${sub}.${this.model.domain}`;
    if (this.hostnameList.some((h) => h.host === host)) {
      throw new Error(`hostname registered twice, received: ${JSON.stringify(host)}`);
    }
    this.hostnameList.push({ host, namespace, secretName, addon, backend });
    return host;
  }

  public get hostnames(): readonly HostnameRequest[] {
    return this.hostnameList;
  }
}
