import type { Command } from 'commander';
import type { TargetFlags } from '../config/resolve.js';

/** The target flags of contract.md, shared by every command that runs against a site. */
export function withTargetFlags(command: Command): Command {
  return command
    .option('--target <url>', "the site's HTTPS base URL (VOR_BASE_URL); default: the embedded reference target")
    .option('--api <url>', 'API base (VOR_API_URL; default: target + /api)')
    .option('--http <url>', 'plain-HTTP entry point for the redirect check (VOR_HTTP_URL)')
    .option('--ca <file>', 'extra trusted CA certificate(s), PEM (VOR_CA_FILE)')
    .option('--allowed-origin <origin>', 'the front-end origin the API must allow (VOR_ALLOWED_ORIGIN)')
    .option('--environment <name>', 'production, staging, … (VOR_ENVIRONMENT)')
    .option('--config <file>', 'config file, JSON or YAML (VOR_CONFIG)')
    .option('--target-name <name>', "which of the config file's targets to run (VOR_TARGET_NAME)")
    .option('--login-url <url>', 'where the test user logs in (VOR_LOGIN_URL)')
    .option('--ratelimit-url <url>', 'what the rate-limit burst targets (VOR_RATELIMIT_URL)')
    .option('--query-url <url>', 'the query endpoint for exposure.error_leak (VOR_QUERY_URL)')
    .option('--session-cookie <name>', "the session cookie's name (VOR_SESSION_COOKIE)");
}

const TARGET_FLAG_KEYS = [
  'target',
  'api',
  'http',
  'ca',
  'allowedOrigin',
  'environment',
  'config',
  'targetName',
  'loginUrl',
  'ratelimitUrl',
  'queryUrl',
  'sessionCookie',
] as const;

/** The target flags of a command's options (contract.md, "Target flags"). */
export function targetFlagsOf(options: Record<string, unknown>): TargetFlags {
  const flags: TargetFlags = {};
  for (const key of TARGET_FLAG_KEYS) if (typeof options[key] === 'string') flags[key] = options[key];
  return flags;
}
