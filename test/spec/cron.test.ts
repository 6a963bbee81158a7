import { CronError, parseCronSchedule } from '../../spec';

describe('CronJob schedules as Kubernetes parses them (robfig/cron standard parser)', () => {
  test.each([
    ['0 */6 * * *', 6 * 3600],
    ['*/30 * * * *', 1800],
    ['15 2 * * *', 86_400],
    ['@hourly', 3600],
    ['@daily', 86_400],
    ['@midnight', 86_400],
    ['@weekly', 7 * 86_400],
    ['@every 1h30m', 5400],
    ['0 0,12 * * *', 12 * 3600],
    ['0 3 * * mon-fri', 3 * 86_400],
    ['0 0 ? * SUN', 7 * 86_400],
  ])('GIVEN %j WHEN parsed THEN the longest gap between runs is %i s', (schedule, seconds) => {
    expect(parseCronSchedule(schedule).maxIntervalSeconds).toBe(seconds);
  });

  test('GIVEN day of month and day of week both restricted THEN either matching runs the job (cron OR rule)', () => {
    // the 1st of each month or every Monday: never more than 7 days apart
    expect(parseCronSchedule('0 0 1 * mon').maxIntervalSeconds).toBeLessThanOrEqual(7 * 86_400);
  });

  test.each([
    ['0 0 */6 * * *', 'found 6 (Kubernetes has no seconds field)'],
    ['0 0 * *', 'needs 5 fields'],
    ['', 'is empty'],
    ['@fortnightly', 'unknown descriptor'],
    ['@every soon', '"@every" needs a Go duration'],
    ['60 * * * *', 'minute: 60 is outside 0-59'],
    ['0 0 * * 7', 'day of week: 7 is outside 0-6'],
    ['0 0 0 * *', 'day of month: 0 is outside 1-31'],
    ['*/0 * * * *', 'step "0" must be a positive number'],
    ['0 5-2 * * *', 'starts after it ends'],
    ['0 0 * foo *', '"foo" is not a number or a name'],
    ['0 0 30 2 *', 'never runs'],
    ['CRON_TZ=UTC 0 0 * * *', 'TZ= and CRON_TZ= are not allowed'],
  ])('GIVEN %j WHEN parsed THEN it is refused: %s', (schedule, reason) => {
    expect(() => parseCronSchedule(schedule)).toThrow(CronError);
    expect(() => parseCronSchedule(schedule)).toThrow(reason);
  });
});
