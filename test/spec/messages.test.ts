import { boundedJson, loadSpecText, MAX_ISSUES_PER_FILE, type SpecError } from '../../spec';
import { closestKey } from '../../spec/zod-issues';
import { errorOf, labDoc, load } from './helpers';

describe('messages stay bounded whatever the input', () => {
  test('GIVEN a YAML alias bomb under a known field WHEN loaded THEN it fails fast with short lines', () => {
    const levels = 'abcdefghi'.split('');
    const text = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...levels.slice(1).map((l, i) => `${l}: &${l} [${new Array(9).fill(`*${levels[i]}`).join(',')}]`),
      'ssh: { authorizedKeys: *i }',
    ].join('\n');
    const started = Date.now();
    const message = errorOf(() => loadSpecText(text, 'bomb.yaml'));
    expect(Date.now() - started).toBeLessThan(2000);
    for (const line of message.split('\n')) expect(line.length).toBeLessThan(1000);
  });

  test('GIVEN 600,000 unknown keys WHEN loaded THEN the message names ten and counts the rest', () => {
    const doc = labDoc();
    for (let i = 0; i < 600_000; i++) doc[`bogus${i}`] = i;
    const message = errorOf(() => load(doc));
    expect(message.length).toBeLessThan(5000);
    expect(message).toContain('and 599990 more');
  });

  test('GIVEN more problems than the limit WHEN reported THEN the rest are counted on one line', () => {
    const doc = labDoc();
    doc.ssh.authorizedKeys = new Array(MAX_ISSUES_PER_FILE + 25).fill('not a key');
    const error = (() => { try { load(doc); } catch (e) { return e as SpecError; } throw new Error('no error'); })();
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(MAX_ISSUES_PER_FILE + 1);
    expect(lines[lines.length - 1]).toBe('test.yaml: 25 more problem(s) not shown; fix the ones above first');
  });

  test('GIVEN a cyclic value WHEN serialised for a message THEN the text is cut, not endless', () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic, cyclic);
    expect(boundedJson(cyclic).length).toBeLessThanOrEqual(120);
  });

  test('GIVEN credentials in any URL WHEN reported THEN the secret is never printed', () => {
    const shape = labDoc();
    shape.proxmox.endpoint = 'http://root@pam:hunter2@pve1.lab.example.internal:8006/';
    const shapeMessage = errorOf(() => load(shape));
    expect(shapeMessage).toContain('proxmox.endpoint: must be an https URL');
    expect(shapeMessage).not.toContain('hunter2');
    const rule = labDoc();
    rule.addons.backups.s3.endpoint = 'https://AKIA:topsecret@s3.lab.example.internal';
    const ruleMessage = errorOf(() => load(rule));
    expect(ruleMessage).toContain('addons.backups.s3.endpoint: must not contain credentials');
    expect(ruleMessage).not.toContain('topsecret');
  });
});

describe('messages point at what the user wrote', () => {
  test.each([
    ['memroy', 'memory'],
    ['vmidbase', 'vmIdBase'],
    ['ipstart', 'ipStart'],
    ['cores', 'cores'],
  ])('GIVEN the unknown key %j THEN the closest known key is %j', (key, near) => {
    expect(closestKey(key, ['memory', 'vmIdBase', 'ipStart', 'cores', 'disk'])).toBe(near);
  });

  test('GIVEN a key unlike any known one THEN no suggestion is made', () => {
    expect(closestKey('banana', ['memory', 'cores', 'disk'])).toBeUndefined();
  });

  test('GIVEN plain-http object storage WHEN loaded THEN it loads with a warning', () => {
    const doc = labDoc();
    doc.addons.backups.s3.endpoint = 'http://s3.lab.example.internal';
    const { warnings } = load(doc);
    expect(warnings).toContainEqual(expect.objectContaining({ path: ['addons', 'backups', 's3', 'endpoint'], message: expect.stringContaining('plain http') }));
  });
});
