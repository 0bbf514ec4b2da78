/** Carrier, service and tracking of the n-th shipment, by service level (deterministic). */
export function carrierFor(serviceLevel: string, n: number): { carrier: string; service: string; trackingNumber: string; trackingUrl: string } {
  const digits = (length: number) => String(n).padStart(length, '0');
  if (/overnight|next[_-]?day|priority/i.test(serviceLevel)) {
    const trackingNumber = `7700${digits(8)}`;
    return { carrier: 'FedEx', service: 'Priority Overnight', trackingNumber, trackingUrl: `https://www.fedex.com/fedextrack/?trknbr=${trackingNumber}` };
  }
  if (/expedited|express|2[_-]?day/i.test(serviceLevel)) {
    const trackingNumber = `1Z999AA1${digits(10)}`;
    return { carrier: 'UPS', service: '2nd Day Air', trackingNumber, trackingUrl: `https://www.ups.com/track?tracknum=${trackingNumber}` };
  }
  const trackingNumber = `9400100000000${digits(9)}`;
  return { carrier: 'USPS', service: 'Ground Advantage', trackingNumber, trackingUrl: `https://tools.usps.com/go/TrackConfirmAction?tLabels=${trackingNumber}` };
}
