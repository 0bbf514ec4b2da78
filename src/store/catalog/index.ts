export {
  getProductRow,
  lockProductRow,
  putProductRow,
  listProductRows,
  listProductSources,
  listProductSourcesOf,
  setProductSource,
  deleteProductSources,
  type ProductRow,
  type ProductSourceRow,
} from './products.js';
export {
  listPublications,
  listPublicationsOf,
  getPublication,
  setPublication,
  markPublicationPending,
  notePublicationError,
  publishedInventoryItem,
  skuOfPublishedItem,
  type ProductPublicationRow,
} from './publications.js';
