/** True when a string of digits passes the Luhn checksum used by card numbers. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d >= 10) d -= 9
    }
    // Stryker disable next-line AssignmentOperator: -sum is a multiple of 10 exactly when sum is
    sum += d
    double = !double
  }
  return sum % 10 === 0
}
