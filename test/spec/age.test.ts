import { ageRecipientProblem } from '../../spec/age';

/** Public halves of throwaway keys from age-keygen v1.3.2. */
const KEYS = ['age1u9dfdgma289g2fuxj34akw5vw3e404qwx2tthdrev2xw9q6nyc9st60fzn', 'age15snf42gp8w37gndcsr4k0kqt83ehq6wjj6lmttyrppk78p9r4paqygj7uz'];

describe('GIVEN an age recipient in the spec', () => {
  it.each(KEYS)('WHEN it is a public key as age-keygen prints it (%s) THEN it is accepted', (key) => {
    expect(ageRecipientProblem(key)).toBeUndefined();
  });

  it('WHEN one character is mistyped THEN the bech32 checksum refuses it', () => {
    for (const i of [4, 20, 61]) {
      const key = KEYS[0]!;
      const typo = key.slice(0, i) + (key[i] === 'q' ? 'p' : 'q') + key.slice(i + 1);
      expect(ageRecipientProblem(typo)).toMatch(/wrong checksum/);
    }
  });

  it.each([
    ['truncated', KEYS[0]!.slice(0, -1)],
    ['upper case', KEYS[0]!.toUpperCase()],
    ['an SSH key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'],
    ['a plugin recipient', 'age1yubikey1qwt50d05nh5vutpdzmlg5wn80xq5negm4uj9ghv0snvdd3yysf5yw3rhl3t'],
  ])('WHEN it is %s THEN it is refused by its shape', (_what, text) => {
    expect(ageRecipientProblem(text)).toMatch(/^must be an age public key/);
  });

  it('WHEN it is a private key THEN the message says so and asks for the public key', () => {
    expect(ageRecipientProblem(`AGE-SECRET-KEY-1${'Q'.repeat(58)}`)).toMatch(/^is an age private key: give its public key/);
  });
});
