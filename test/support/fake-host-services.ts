import { contract, type HostServices } from '../../electron/shared/contract';

type PartialServices = { [NS in keyof HostServices]?: Partial<HostServices[NS]> };

/** A HostServices whose unlisted methods fail loudly, so a test states only what it uses. */
export function fakeHostServices(overrides: PartialServices): HostServices {
  const services: Record<string, Record<string, unknown>> = {};
  for (const [ns, methods] of Object.entries(contract)) {
    services[ns] = {};
    for (const m of Object.keys(methods)) {
      services[ns][m] =
        (overrides as Record<string, Record<string, unknown> | undefined>)[ns]?.[m] ??
        (async () => {
          throw new Error(`${ns}.${m} is not part of this test`);
        });
    }
  }
  return services as unknown as HostServices;
}
