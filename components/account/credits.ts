/** "1 credit", "1,250 credits". */
export function formatCredits(n: number): string {
  return `${n.toLocaleString('en-US')} ${Math.abs(n) === 1 ? 'credit' : 'credits'}`;
}
