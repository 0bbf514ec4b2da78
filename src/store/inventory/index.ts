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
  listInventoryLevelsOf,
  reservedOf,
  type InventoryLevelRow,
  type InventoryMarkRow,
} from './levels.js';
export { upsertLocations, noteLocation, listLocations, type LocationRow } from './locations.js';
export { listChannelLevels, listChannelLevelsOf, setChannelLevel, type InventoryChannelLevelRow } from './channel-levels.js';
export { markInventoryPending, claimDuePending, settleInventoryPending, inventoryPendingSummary, getInventoryPending, type ClaimedSku } from './pending.js';
