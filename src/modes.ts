/**
 * Test and live modes. A provider's test and live data never meet: every read or change of its
 * claims, rules, floats, keys and deliveries names both the provider and the mode.
 */
export interface Scope {
  providerId: string
  livemode: boolean
}

export const MODES = [false, true] as const

export function modeName(livemode: boolean): 'live' | 'test' {
  return livemode ? 'live' : 'test'
}
