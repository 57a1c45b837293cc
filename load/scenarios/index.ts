import apiRead from './api-read.js';
import browse from './browse.js';
import login from './login.js';
import mixed from './mixed.js';
import type { Scenario } from './types.js';

export const SCENARIOS: Readonly<Record<string, Scenario>> = { browse, 'api-read': apiRead, login, mixed };
export const SCENARIO_NAMES = Object.keys(SCENARIOS);
