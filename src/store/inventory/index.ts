export {
  getInventoryMark,
  setInventoryMark,
  getInventoryLevel,
  setInventoryLevel,
  lockInventory,
  listTrackedSkus,
  listInventoryLevelsOf,
  reservedOf,
  type InventoryLevelRow,
  type InventoryMarkRow,
} from './levels.js';
export { upsertLocations, noteLocation, listLocations, type LocationRow } from './locations.js';
export { listChannelLevelsOf, setChannelLevel, type InventoryChannelLevelRow } from './channel-levels.js';
export { markInventoryPending, claimDuePending, settleInventoryPending, pendingSkusOf, type ClaimedSku } from './pending.js';
