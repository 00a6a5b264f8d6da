import { z } from 'zod';
import { methodSpec, type CallContext, type HostServices, type Reply } from '../shared/contract';
import { HostError } from '../shared/host-error';

/**
 * Runs one host method for either transport: checks the name against the contract,
 * validates the arguments with the method's schema, calls the service and wraps the
 * outcome in a Reply. Nothing runs unless the arguments are valid.
 */
export async function callHostMethod(
  services: HostServices,
  name: string,
  args: unknown,
  ctx: CallContext,
  log: (message: string, error: unknown) => void = (m, e) => console.error(m, e),
): Promise<Reply> {
  const spec = methodSpec(name);
  if (!spec) return failure('UNKNOWN_METHOD', `There is no host method named "${name}".`);
  const parsed = spec.args.safeParse(args);
  if (!parsed.success) {
    return failure('INVALID_ARGUMENTS', `${name}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
  }
  const [ns, m] = name.split('.') as [string, string];
  const fn = (services as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[ns]?.[m];
  if (!fn) return failure('NOT_IMPLEMENTED', `The host does not implement "${name}".`);
  try {
    return { ok: true, value: await fn(...(parsed.data as unknown[]), ctx) };
  } catch (error) {
    if (error instanceof HostError) return failure(error.code, error.message);
    log(`host method ${name} failed`, error);
    return failure('INTERNAL', `${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function failure(code: string, message: string): Reply {
  return { ok: false, error: { code, message } };
}
