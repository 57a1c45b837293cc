/**
 * The run's secrets, all from the environment (README, "Configuration"): masked in every output,
 * report, metric label and Sentry event. The one list both the configuration and a fatal error use.
 */
export function secretsOf(env: NodeJS.ProcessEnv): string[] {
  return [env.VOR_TEST_USER_PASSWORD, env.SENTRY_DSN, env.VOR_ADMIN_TOKEN, env.VOR_WEBHOOK_URL].filter(
    (s): s is string => s !== undefined && s !== '',
  );
}
