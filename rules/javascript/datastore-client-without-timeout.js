const Redis = require('ioredis');

// ruleid: datastore-client-without-timeout
const cache = new Redis(process.env.REDIS_URL);

// ruleid: datastore-client-without-timeout
const sessions = new Redis({ host: 'sessions', port: 6379, lazyConnect: true });

// ruleid: datastore-client-without-timeout
const cluster = new Redis.Cluster([{ host: 'cache-0', port: 6379 }], { scaleReads: 'slave' });

// ok: datastore-client-without-timeout
const locks = new Redis(process.env.REDIS_URL, { commandTimeout: 500, connectTimeout: 2000 });

// BullMQ needs a connection that blocks.
// ok: datastore-client-without-timeout
const queueConnection = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: null });

const redisOptions = { commandTimeout: 500 };
// ok: datastore-client-without-timeout
const limits = new Redis(process.env.LIMITS_URL, redisOptions);

// A client named for the queue it serves: handed to BullMQ, whose workers block on purpose.
const REDIS_CONF = { host: 'redis', port: 6379 };
// ok: datastore-client-without-timeout
const reqisQueue = new Redis(REDIS_CONF);
// ruleid: datastore-client-without-timeout
const redis = new Redis(REDIS_CONF);
const queueConf = { connection: reqisQueue };

module.exports = { cache, sessions, cluster, locks, queueConnection, limits, redis, queueConf };
