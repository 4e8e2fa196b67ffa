import express from 'express';
declare const redisClient: unknown;
declare const sharedStore: unknown;
import session from 'express-session';
import RedisStore from 'connect-redis';
import cookieSession from 'cookie-session';

const app = express();

// ruleid: cache-without-expiry
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: true }));

const admin = express.Router();
// ruleid: cache-without-expiry
admin.use(session({
  key: 'admin.sid',
  secret: process.env.ADMIN_SECRET,
}));

// ruleid: cache-without-expiry
const bare = session();

// ok: cache-without-expiry
app.use(session({ store: new RedisStore({ client: redisClient, ttl: 86400 }), secret: process.env.SESSION_SECRET }));

const sessionOptions = { secret: process.env.SESSION_SECRET, store: sharedStore };
// Options built elsewhere may carry a store.
// ok: cache-without-expiry
app.use(session(sessionOptions));

// ok: cache-without-expiry
app.use(session({ ...sessionOptions, name: 'api.sid' }));

// cookie-session keeps the session in the cookie itself, not in server memory.
// ok: cache-without-expiry
app.use(cookieSession({ name: 'session', keys: [process.env.COOKIE_KEY] }));

function session2(opts: object): object {
  return opts;
}
// ok: cache-without-expiry
session2({ secret: 'x' });

export { app, admin, bare };

import memoize from 'p-memoize';
import memoizee from 'memoizee';
import lodashMemoize from 'lodash.memoize';
declare function fetchJson(u: string): Promise<unknown>;
declare function loadProfile(id: string): Promise<unknown>;
declare function loadPlan(id: string): Promise<unknown>;
declare function loadKeys(): Promise<unknown>;
declare function loadUser(id: string): Promise<unknown>;
declare function loadTeam(id: string): Promise<unknown>;
declare function loadOrg(id: string): Promise<unknown>;
declare const ExpiryMap: any;
declare const memoOptions: object;

async function discoverIssuer(url: string) {
  return fetchJson(url);
}

// ruleid: cache-without-expiry
export const getIssuer = memoize(discoverIssuer);

// ruleid: cache-without-expiry
const getProfile = memoizee(loadProfile, { promise: true });

// ruleid: cache-without-expiry
const getPlan = memoizee(async (id: string) => loadPlan(id), { primitive: true });

// ok: cache-without-expiry
const getKeys = memoizee(loadKeys, { promise: true, maxAge: 600000 });

// ok: cache-without-expiry
const getUser = memoize(loadUser, { cache: new ExpiryMap(60000) });

// Options built elsewhere may carry the expiry.
// ok: cache-without-expiry
const getTeam = memoizee(loadTeam, memoOptions);

// A memoizer the file does not import from a memoizing package.
// ok: cache-without-expiry
const getOrg = lodashMemoize(loadOrg);
