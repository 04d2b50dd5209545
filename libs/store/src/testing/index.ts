export {
  TEST_POSTGRES_URL_VARIABLE,
  postgresFactory,
  sqliteFactory,
  storeFactories,
  type StoreFactory,
} from './store-factories';
export { expectedFor, testForest, testGuid, testObjects } from './fixtures';
