/** SQLite storage of the reference target (better-sqlite3, one file in the state directory). */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import bcrypt from 'bcryptjs';

export interface User {
  id: string;
  email: string;
  name: string;
  created_at: string;
}
export interface Account {
  id: string;
  name: string;
  type: string;
  mask: string;
  institution: string;
  balance_cents: number;
}
export interface Transaction {
  id: string;
  account_id: string;
  date: string;
  description: string;
  category: string;
  amount_cents: number;
}
export interface Payment {
  id: string;
  amount_cents: number;
  currency: string;
  status: string;
  description: string;
  card_last4: string;
  created_at: string;
}

export const INSTITUTIONS = [
  'First Platypus Bank',
  'Tartan Bank',
  'Houndstooth Bank',
  'Tattersall Federal Credit Union',
  'Nordic Savings',
  'Reykjavik Cooperative Bank',
] as const;

const HELP_TOPICS = [
  'linking a bank account',
  'exporting your data',
  'deleting your account',
  'billing and invoices',
  'security and two-factor authentication',
  'privacy and cookies',
] as const;

const SCHEMA = `
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  password_hash TEXT NOT NULL, created_at TEXT NOT NULL, deleted_at TEXT);
CREATE TABLE IF NOT EXISTS sessions (id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
  mask TEXT NOT NULL, institution TEXT NOT NULL, balance_cents INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS transactions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, account_id TEXT NOT NULL, date TEXT NOT NULL,
  description TEXT NOT NULL, category TEXT NOT NULL, amount_cents INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS payments (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, amount_cents INTEGER NOT NULL, currency TEXT NOT NULL,
  status TEXT NOT NULL, description TEXT NOT NULL, card_last4 TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS catalog (name TEXT NOT NULL, kind TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tx_user ON transactions(user_id, date);
`;

const hashId = (id: string): string => createHash('sha256').update(id).digest('hex');

export class Store {
  readonly db: Database.Database;
  private readonly dummyHash: string;
  constructor(
    dir: string,
    private readonly bcryptCost: number,
  ) {
    this.db = new Database(join(dir, 'vor.sqlite'));
    this.db.exec(SCHEMA);
    this.dummyHash = bcrypt.hashSync('not-a-real-password', bcryptCost);
    const insert = this.db.prepare('INSERT INTO catalog (name, kind) VALUES (?, ?)');
    for (const i of INSTITUTIONS) insert.run(i, 'institution');
    for (const t of HELP_TOPICS) insert.run(t, 'help');
  }

  close(): void {
    this.db.close();
  }

  createUser(email: string, password: string, name: string): User | undefined {
    const user: User = { id: randomUUID(), email: email.toLowerCase(), name, created_at: new Date().toISOString() };
    const hash = bcrypt.hashSync(password, this.bcryptCost);
    try {
      this.db
        .prepare('INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(user.id, user.email, user.name, hash, user.created_at);
    } catch (err) {
      if (String(err).includes('UNIQUE')) return undefined;
      throw err;
    }
    this.seedDemoData(user.id);
    return user;
  }

  /** Returns the user when the password matches (or when `acceptAnyPassword`); a dummy compare keeps timing even. */
  verifyLogin(email: string, password: string, acceptAnyPassword = false): User | undefined {
    const row = this.db.prepare('SELECT id, email, name, created_at, password_hash FROM users WHERE email = ?').get(email.toLowerCase()) as
      (User & { password_hash: string }) | undefined;
    if (row === undefined) {
      bcrypt.compareSync(password, this.dummyHash);
      return undefined;
    }
    const ok = bcrypt.compareSync(password, row.password_hash);
    if (!ok && !acceptAnyPassword) return undefined;
    return { id: row.id, email: row.email, name: row.name, created_at: row.created_at };
  }

  userById(id: string): User | undefined {
    return this.db.prepare('SELECT id, email, name, created_at FROM users WHERE id = ?').get(id) as User | undefined;
  }

  createSession(userId: string, ttlMs: number): string {
    const id = randomBytes(32).toString('base64url');
    this.db.prepare('INSERT INTO sessions (id_hash, user_id, expires_at) VALUES (?, ?, ?)').run(hashId(id), userId, Date.now() + ttlMs);
    return id;
  }

  sessionUser(id: string): User | undefined {
    const row = this.db.prepare('SELECT user_id, expires_at FROM sessions WHERE id_hash = ?').get(hashId(id)) as
      { user_id: string; expires_at: number } | undefined;
    if (row === undefined || row.expires_at < Date.now()) return undefined;
    return this.userById(row.user_id);
  }

  deleteSession(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashId(id));
  }

  /** Deletes the user's data and sessions; with `keepLogin` the user row (credentials) survives (a fault). */
  deleteUser(userId: string, keepLogin: boolean): void {
    const tx = this.db.transaction(() => {
      this.db.prepare('DELETE FROM transactions WHERE user_id = ?').run(userId);
      this.db.prepare('DELETE FROM accounts WHERE user_id = ?').run(userId);
      this.db.prepare('DELETE FROM payments WHERE user_id = ?').run(userId);
      if (!keepLogin) {
        this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
        this.db.prepare('DELETE FROM users WHERE id = ?').run(userId);
      }
    });
    tx();
  }

  accounts(userId: string): Account[] {
    return this.db
      .prepare('SELECT id, name, type, mask, institution, balance_cents FROM accounts WHERE user_id = ? ORDER BY rowid')
      .all(userId) as Account[];
  }

  transactions(userId: string, limit = 50): Transaction[] {
    return this.db
      .prepare(
        'SELECT id, account_id, date, description, category, amount_cents FROM transactions WHERE user_id = ? ORDER BY date DESC, rowid DESC LIMIT ?',
      )
      .all(userId, limit) as Transaction[];
  }

  payments(userId: string): Payment[] {
    return this.db
      .prepare(
        'SELECT id, amount_cents, currency, status, description, card_last4, created_at FROM payments WHERE user_id = ? ORDER BY created_at DESC',
      )
      .all(userId) as Payment[];
  }

  /** `id`: the payment provider's id when there is one. */
  addPayment(userId: string, p: Omit<Payment, 'id' | 'created_at'>, id = `pi_${randomBytes(12).toString('hex')}`): Payment {
    const payment: Payment = { ...p, id, created_at: new Date().toISOString() };
    this.db
      .prepare(
        'INSERT INTO payments (id, user_id, amount_cents, currency, status, description, card_last4, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        payment.id,
        userId,
        payment.amount_cents,
        payment.currency,
        payment.status,
        payment.description,
        payment.card_last4,
        payment.created_at,
      );
    return payment;
  }

  payment(userId: string, id: string): Payment | undefined {
    return this.db
      .prepare('SELECT id, amount_cents, currency, status, description, card_last4, created_at FROM payments WHERE user_id = ? AND id = ?')
      .get(userId, id) as Payment | undefined;
  }

  addAccount(userId: string, a: Omit<Account, 'id'>): Account {
    const account: Account = { ...a, id: `acc_${randomBytes(8).toString('hex')}` };
    this.db
      .prepare('INSERT INTO accounts (id, user_id, name, type, mask, institution, balance_cents) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(account.id, userId, account.name, account.type, account.mask, account.institution, account.balance_cents);
    return account;
  }

  addTransaction(userId: string, t: Omit<Transaction, 'id'>): void {
    this.db
      .prepare('INSERT INTO transactions (id, user_id, account_id, date, description, category, amount_cents) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(`tx_${randomBytes(8).toString('hex')}`, userId, t.account_id, t.date, t.description, t.category, t.amount_cents);
  }

  /** Safe search (bound parameter) over the public catalogue of institutions and help topics. */
  search(q: string): { name: string; kind: string }[] {
    return this.db.prepare("SELECT name, kind FROM catalog WHERE name LIKE '%' || ? || '%' ORDER BY kind, name LIMIT 20").all(q) as {
      name: string;
      kind: string;
    }[];
  }

  /** The injectable variant used by the sql_error_leak fault: string concatenation, as the bug would be written. */
  unsafeSearch(q: string): unknown[] {
    return this.db.prepare(`SELECT name, kind FROM catalog WHERE name LIKE '%${q}%'`).all();
  }

  ping(): boolean {
    return (this.db.prepare('SELECT 1 AS ok').get() as { ok: number }).ok === 1;
  }

  private seedDemoData(userId: string): void {
    const day = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const checking = this.addAccount(userId, {
      name: 'Everyday Checking',
      type: 'checking',
      mask: '4821',
      institution: 'First Platypus Bank',
      balance_cents: 482_317,
    });
    const savings = this.addAccount(userId, {
      name: 'Rainy Day Savings',
      type: 'savings',
      mask: '9034',
      institution: 'First Platypus Bank',
      balance_cents: 1_250_000,
    });
    const rows: [number, string, string, number, string][] = [
      [1, 'Coffee at Kaffitár', 'Food and drink', -450, checking.id],
      [2, 'Salary VÖR Inc.', 'Income', 420_000, checking.id],
      [3, 'Grocery store', 'Groceries', -8_732, checking.id],
      [4, 'Electricity bill', 'Utilities', -6_210, checking.id],
      [5, 'Transfer to savings', 'Transfer', -50_000, checking.id],
      [5, 'Transfer from checking', 'Transfer', 50_000, savings.id],
      [7, 'Bookshop', 'Shopping', -2_499, checking.id],
      [9, 'Interest', 'Income', 312, savings.id],
      [11, 'Bus pass', 'Transport', -7_500, checking.id],
      [14, 'Restaurant', 'Food and drink', -5_640, checking.id],
    ];
    for (const [ago, description, category, amount, accountId] of rows) {
      this.addTransaction(userId, { account_id: accountId, date: day(ago), description, category, amount_cents: amount });
    }
  }
}
