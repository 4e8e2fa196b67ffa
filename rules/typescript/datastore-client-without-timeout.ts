import Redis, { type RedisOptions } from 'ioredis';

export class CacheService {
  // ruleid: datastore-client-without-timeout
  private readonly client = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');

  async get(key: string): Promise<string | null> {
    return this.client.get(key);
  }
}

// ruleid: datastore-client-without-timeout
export const sessions = new Redis({ host: 'sessions', port: 6379, keyPrefix: 'sess:' });

// ruleid: datastore-client-without-timeout
export const cluster = new Redis.Cluster([{ host: 'cache-0', port: 6379 }]);

// ok: datastore-client-without-timeout
export const locks = new Redis(process.env.REDIS_URL ?? '', { commandTimeout: 500, connectTimeout: 2000 });

// ok: datastore-client-without-timeout
export const queueConnection = new Redis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });

export function createClient(options: RedisOptions): Redis {
  // ok: datastore-client-without-timeout
  return new Redis(options.port ?? 6379, options.host ?? 'localhost', options);
}

// A client named for the queue it serves: handed to BullMQ, whose workers block on purpose.
// ok: datastore-client-without-timeout
export const queueRedis = new Redis({ host: 'redis', port: 6379 });
// ruleid: datastore-client-without-timeout
export const appRedis = new Redis({ host: 'redis', port: 6379 });
export const queueConf = { connection: queueRedis };
