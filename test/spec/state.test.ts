import { errorOf, labDoc, load } from './helpers';

/** lab.yaml with the one deliberate change: its `state` block. */
const withState = (state: unknown) => ({ ...labDoc(), state });

describe('the state block', () => {
  test.each(['cdktf.out/lab.tfstate', './dist/lab.tfstate', '.cdk8s.out/x.tfstate'])(
    'a local state path inside a folder synth writes (%s) is refused',
    (path) => {
      expect(errorOf(() => load(withState({ backend: 'local', path })))).toContain(
        `test.yaml: state.path: the state file must be outside cdktf.out, dist, .cdk8s.out (synth writes there) (received "${path}")`,
      );
    },
  );

  test.each(['state/lab.tfstate', '../states/lab.tfstate', '/srv/tf/lab.tfstate'])('a local state path outside them (%s) loads', (path) => {
    expect(load(withState({ backend: 'local', path })).model.state).toEqual({ backend: 'local', path, legacyPath: path });
  });

  test('s3 state is encrypted and locked by default: a DynamoDB table is required', () => {
    expect(errorOf(() => load(withState({ backend: 's3', bucket: 'tfstate' })))).toContain(
      'test.yaml: state.dynamodbTable: S3 state is locked by default and Terraform 1.8 locks it only with a DynamoDB table',
    );
    expect(load(withState({ backend: 's3', bucket: 'tfstate', dynamodbTable: 'lock' })).model.state).toMatchObject({ encrypt: true, locking: true, key: 'pve-k8s/lab.tfstate' });
  });

  test('unlocked s3 state is an explicit choice, and it cannot also name a lock table', () => {
    expect(load(withState({ backend: 's3', bucket: 'tfstate', locking: false })).model.state).toMatchObject({ locking: false, encrypt: true });
    expect(errorOf(() => load(withState({ backend: 's3', bucket: 'tfstate', locking: false, dynamodbTable: 'lock' })))).toContain(
      'test.yaml: state.locking: locking is off but a dynamodbTable is set',
    );
  });
});
