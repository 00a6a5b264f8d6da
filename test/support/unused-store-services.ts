import type { HostServices } from '../../electron/shared/contract';

const unused = async (): Promise<never> => {
  throw new Error('this test does not use the store');
};

/** For transport tests that fake the host: the store namespace, failing if called. */
export const unusedStoreServices: HostServices['store'] = {
  commit: unused,
  cancel: unused,
  verify: unused,
  gc: unused,
  remove: unused,
  list: unused,
};
