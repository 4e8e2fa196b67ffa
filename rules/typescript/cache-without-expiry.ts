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
