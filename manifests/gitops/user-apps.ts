/**
 * The users' folder apps/<cluster>/ (model.gitops.appsPath): synth never touches it; the root syncs
 * it through one Application (Argo CD) or Kustomization (Flux) of this name.
 */
export const APPS_NAME = 'apps';
/** Argo CD sync wave of that Application: after every platform wave (releases use -20..20, configs one more). */
export const APPS_WAVE = 30;
