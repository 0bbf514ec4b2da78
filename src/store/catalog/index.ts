export {
  getProductRow,
  lockProductRow,
  putProductRow,
  listProductRows,
  listProductSources,
  setProductSource,
  deleteProductSources,
  type ProductRow,
  type ProductSourceRow,
} from './products.js';
export {
  listPublications,
  getPublication,
  setPublication,
  markPublicationPending,
  notePublicationError,
  publishedInventoryItem,
  skuOfPublishedItem,
  type ProductPublicationRow,
} from './publications.js';
