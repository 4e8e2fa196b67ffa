const express = require('express');
const session = require('express-session');
const RedisStore = require('connect-redis').default;
const cookieSession = require('cookie-session');

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

function session2(opts) {
  return opts;
}
// ok: cache-without-expiry
session2({ secret: 'x' });

module.exports = { app, admin, bare };

const memoize = require('p-memoize');
const memoizee = require('memoizee');
const lodashMemoize = require('lodash.memoize');

async function discoverIssuer(url) {
  return fetchJson(url);
}

// ruleid: cache-without-expiry
exports.getIssuer = memoize(discoverIssuer);

// ruleid: cache-without-expiry
const getProfile = memoizee(loadProfile, { promise: true });

// ruleid: cache-without-expiry
const getPlan = memoizee(async (id) => loadPlan(id), { primitive: true });

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
