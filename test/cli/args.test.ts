import { parseSynthArgs, UsageError } from '../../bin/args';

/** The parsed arguments, or the usage error's message. */
function parse(argv: string[]): unknown {
  try {
    return parseSynthArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return `UsageError: ${e.message}`;
    throw e;
  }
}

describe('synth arguments (node util.parseArgs plus our rules)', () => {
  it.each([
    [[], { specs: [], out: '.', help: false }],
    [['--spec', 'a.yaml', '--spec=b.yaml', '--out', 'o'], { specs: ['a.yaml', 'b.yaml'], out: 'o', help: false }],
    [['--out=o'], { specs: [], out: 'o', help: false }],
    [['--spec', '-x.yaml'], { specs: ['-x.yaml'], out: '.', help: false }],
    [['-h'], { specs: [], out: '.', help: true }],
    [['--help'], { specs: [], out: '.', help: true }],
  ])('GIVEN valid arguments %j WHEN parsed THEN specs, out and help are read', (argv, expected) => {
    expect(parse(argv)).toEqual(expected);
  });

  it.each([
    [['--bogus'], 'unknown argument "--bogus"'],
    [['--bogus=1'], 'unknown argument "--bogus=1"'],
    [['lab.yaml'], 'unknown argument "lab.yaml"'],
    [['-x'], 'unknown argument "-x"'],
    [['-hx'], 'unknown argument "-hx"'],
    [['--'], 'unknown argument "--"'],
    [['--no-spec'], 'unknown argument "--no-spec"'],
    [['--out'], '--out needs a value (received null)'],
    [['--out', ''], '--out needs a value (received "")'],
    [['--spec='], '--spec needs a value (received "")'],
    [['--spec', '--out', 'x'], '--spec needs a value (received "--out")'],
    [['--out', 'a', '--out', 'b'], '--out given twice (received "a" and more)'],
    [['--out', 'a', '--bogus', '--out'], 'unknown argument "--bogus"'],
  ])('GIVEN %j WHEN parsed THEN the usage error names the first problem: %s', (argv, message) => {
    expect(parse(argv)).toBe(`UsageError: ${message}`);
  });
});
