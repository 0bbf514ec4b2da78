export { orderAccepted } from './messages.js';
export { orderStatuses, isOrderStatus, orderTransitions, canTransition, assertTransition, type OrderStatus } from './order-status.js';
export { createOrderIntake, orderHash, type IntakeRequest, type IntakeResult, type OrderIntake } from './intake.js';
export { recordAcceptedOrder } from './accepted-handler.js';
export { getOrderWithTimeline, listOrders, presentOrder, encodeCursor, decodeCursor } from './queries.js';
