export {
  getInventoryMark,
  setInventoryMark,
  getInventoryLevel,
  setInventoryLevel,
  listInventoryLevels,
  isSkuTracked,
  reservedByLocation,
  lockInventory,
  listTrackedSkus,
  type InventoryLevelRow,
  type InventoryMarkRow,
} from './levels.js';
export { upsertLocations, noteLocation, listLocations, type LocationRow } from './locations.js';
export { listChannelLevels, setChannelLevel, type InventoryChannelLevelRow } from './channel-levels.js';
export { markInventoryPending, getInventoryPending, clearInventoryPending, inventoryPendingSummary } from './pending.js';
