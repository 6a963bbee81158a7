# shellcheck shell=bash
# Source this file (do not execute it):  source scripts/tools-env.sh
# Puts the project-built tools first in PATH and points Terraform at the
# offline provider mirror config written by scripts/tools.sh.
_pvek8s_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
export PVE_K8S_TOOLS_DIR="${_pvek8s_root}/.cache/tools"
case ":${PATH}:" in
  *":${PVE_K8S_TOOLS_DIR}/bin:"*) ;;
  *) export PATH="${PVE_K8S_TOOLS_DIR}/bin:${PATH}" ;;
esac
export TF_CLI_CONFIG_FILE="${PVE_K8S_TOOLS_DIR}/terraformrc"
# cdktf deploy/diff/destroy run `terraform providers lock -platform=linux_amd64` after `init` when the
# stack has no lock file yet (or on --migrate-state). `providers lock` ignores the CLI config's
# provider_installation and asks the origin registry, so offline it fails ("Could not retrieve
# providers for locking"). The lock file `init` writes from the mirror already holds the hash of the
# one provider build offered here; cdktf-cli reads its options from CDKTF_* variables too, so this is
# its --skip-provider-lock. Terraform and OpenTofu alike (TERRAFORM_BINARY_NAME=tofu).
export CDKTF_SKIP_PROVIDER_LOCK=true
# Never phone home (version/provider checkpoint), we are offline.
export CHECKPOINT_DISABLE=1
# cdk8s-cli asks the npm registry for a newer version on every run (a stack trace when offline);
# its --check-upgrade option, read from the environment with the CDK8S_ prefix, turns that off.
export CDK8S_CHECK_UPGRADE=false
# sops --version asks GitHub for a newer release unless told not to.
export SOPS_DISABLE_VERSION_CHECK=1
unset _pvek8s_root
