/**
 * The pricing task of the order workflow: prices each item from the catalogue.
 * The workflow's Choice has already checked that items exist and quantities
 * are numbers >= 1; what a Choice rule cannot express (a whole number, a known
 * SKU) is checked here and raised as a named error the workflow turns into
 * its Fail state.
 */

interface OrderItem {
  sku: string;
  quantity: number;
}

export interface Order {
  orderId?: string;
  items: OrderItem[];
}

export interface PricedOrder {
  orderId?: string;
  currency: 'EUR';
  items: Array<OrderItem & { unitPrice: number; lineTotal: number }>;
  total: number;
}

// Prices in cents, so totals are exact.
const CATALOGUE: Record<string, number> = {
  'book-dune': 1299,
  'book-emma': 899,
  'bookmark': 250,
  'gift-wrap': 400,
};

export class InvalidOrder extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOrder';
  }
}

export async function handler(order: Order): Promise<PricedOrder> {
  const items = order.items.map((item, i) => {
    if (!Number.isInteger(item.quantity)) throw new InvalidOrder(`items[${i}].quantity: must be a whole number, got ${item.quantity}`);
    const unitPrice = CATALOGUE[item.sku];
    if (unitPrice === undefined) throw new InvalidOrder(`items[${i}].sku: unknown '${item.sku}'; known: ${Object.keys(CATALOGUE).join(', ')}`);
    return { sku: item.sku, quantity: item.quantity, unitPrice, lineTotal: unitPrice * item.quantity };
  });
  return { orderId: order.orderId, currency: 'EUR', items, total: items.reduce((sum, i) => sum + i.lineTotal, 0) };
}
