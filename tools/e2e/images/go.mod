module pve-k8s/tools/e2e/images

go 1.22
