export interface Args {
  engine: 'postgres' | 'embedded';
  names: string[];
  build: boolean;
  regenerate: boolean;
  generateOnly: boolean;
  seconds: number;
  connections: number;
  latencyRequests: number;
  latencySeconds: number;
  cpuProf: boolean;
  logLevel: string | undefined;
  databaseUrl: string;
  /** Multiplies the data set's row counts (a quick run on a smaller copy; its own marker). */
  scale: number;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/pillar_bench';

export function parseArgs(argv: string[]): Args {
  const args: Args = {
    engine: 'postgres',
    names: [],
    build: true,
    regenerate: false,
    generateOnly: false,
    seconds: 10,
    connections: 10,
    latencyRequests: 1000,
    latencySeconds: 10,
    cpuProf: false,
    logLevel: undefined,
    databaseUrl: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    scale: 1,
  };
  for (const a of argv) {
    const [flag, value] = a.split('=', 2) as [string, string | undefined];
    const n = () => {
      const v = Number(value);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${flag} needs a positive number`);
      return v;
    };
    switch (flag) {
      case '--embedded': args.engine = 'embedded'; break;
      case '--no-build': args.build = false; break;
      case '--regenerate': args.regenerate = true; break;
      case '--generate-only': args.generateOnly = true; break;
      case '--seconds': args.seconds = n(); break;
      case '--connections': args.connections = n(); break;
      case '--latency-requests': args.latencyRequests = n(); break;
      case '--latency-seconds': args.latencySeconds = n(); break;
      case '--cpu-prof': args.cpuProf = true; break;
      case '--log-level': args.logLevel = value; break;
      case '--scale': args.scale = n(); break;
      default:
        if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
        args.names.push(a);
    }
  }
  return args;
}

export const USAGE = `npm run bench -- [scenario …] [--embedded] [--no-build] [--regenerate] [--generate-only]
  [--seconds=10] [--connections=10] [--latency-requests=1000] [--latency-seconds=10] [--cpu-prof] [--log-level=info] [--scale=1]
  DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pillar_bench) is created and loaded once, then reused.`;
