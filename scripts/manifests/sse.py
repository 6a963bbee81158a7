"""Server-side encryption of what the cluster writes to the backup bucket (issue 13), used by verify.py:

1. Every Velero BackupStorageLocation asks velero-plugin-for-aws for it: spec.config
   serverSideEncryption AES256 or aws:kms, or a kmsKeyId, or an SSE-C customerKeyEncryptionFile
   (the plugin's documented keys). Velero's resource backups hold every Secret in clear.
2. Every AWS CLI upload in a container's command or args (`aws ... s3 cp|mv|sync`, `s3api
   put-object`: the etcd snapshot CronJobs) passes `--sse AES256|aws:kms` or `--sse-c`.
problems(objs) returns the problems ([] means the cluster passes); counts(objs) what was checked.
"""
import re

SSE_VALUES = ('AES256', 'aws:kms')
BSL_KEYS = ('kmsKeyId', 'customerKeyEncryptionFile')
UPLOAD = re.compile(r'\baws\b.*\bs3\s+(cp|mv|sync)\b|\baws\b.*\bs3api\s+put-object\b')
SSE_FLAG = re.compile(r'\s--sse(\s+|=)(' + '|'.join(re.escape(v) for v in SSE_VALUES) + r')(\s|$)|\s--sse-c(\s|=)')


def _containers(tree):
    """Every container (dict with name and image) under containers/initContainers anywhere in tree."""
    if isinstance(tree, list):
        for t in tree:
            yield from _containers(t)
    elif isinstance(tree, dict):
        for k, v in tree.items():
            if k in ('containers', 'initContainers') and isinstance(v, list):
                yield from (c for c in v if isinstance(c, dict) and 'image' in c)
            yield from _containers(v)


def _upload_lines(container):
    """The shell command lines of a container that upload with the AWS CLI."""
    text = '\n'.join(str(x) for x in (container.get('command') or []) + (container.get('args') or []))
    return [line.strip() for line in re.split(r'\n|;|&&|\|\|', text) if UPLOAD.search(line)]


def _bsls(objs):
    return [(rel, o) for rel, o in objs if o.get('kind') == 'BackupStorageLocation']


def _uploads(objs):
    return [(rel, o, c, line) for rel, o in objs for c in _containers(o) for line in _upload_lines(c)]


def problems(objs):
    """objs: [(relative file, object)] of one cluster."""
    out = []
    for rel, o in _bsls(objs):
        cfg = o.get('spec', {}).get('config') or {}
        if cfg.get('serverSideEncryption') not in SSE_VALUES and not any(cfg.get(k) for k in BSL_KEYS):
            out.append(f'{rel}: BackupStorageLocation {o["metadata"]["name"]} asks for no server-side encryption '
                       f'(config.serverSideEncryption {cfg.get("serverSideEncryption")!r}, no kmsKeyId or customerKeyEncryptionFile)')
    for rel, o, c, line in _uploads(objs):
        if not SSE_FLAG.search(' ' + line):
            out.append(f'{rel}: {o["kind"]} {o["metadata"]["name"]}, container {c["name"]}: upload without server-side encryption (no --sse AES256|aws:kms or --sse-c): {line}')
    return out


def counts(objs):
    return len(_bsls(objs)), len(_uploads(objs))
