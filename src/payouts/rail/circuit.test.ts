import { describe, expect, it } from 'vitest'
import { Circuit } from './circuit.ts'

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000)

describe('the credentials circuit', () => {
  it('is closed until a refusal, then lets one probe through after each pause', () => {
    const circuit = new Circuit()
    expect(circuit.admits(at(0))).toBe('closed')
    expect(circuit.trip('401', at(0))).toBe(true)
    expect(circuit.admits(at(29))).toBe('open')
    expect(circuit.admits(at(30))).toBe('probe')
    expect(circuit.state()).toMatchObject({ open: true, reason: '401', since: at(0) })
  })

  it('doubles the pause after each failed probe, up to five minutes', () => {
    const circuit = new Circuit()
    circuit.trip('401', at(0))
    let now = 0
    const pauses: number[] = []
    for (let i = 0; i < 6; i++) {
      const probeAt = (circuit.state().probeAt?.getTime() ?? 0) - at(0).getTime()
      pauses.push(probeAt / 1000 - now)
      now = probeAt / 1000
      expect(circuit.trip('401 again', at(now))).toBe(false)
    }
    expect(pauses).toEqual([30, 60, 120, 240, 300, 300])
  })

  it('ignores refusals of calls sent beside the first, before any probe was due', () => {
    const circuit = new Circuit()
    circuit.trip('401', at(0))
    circuit.trip('401', at(1))
    expect(circuit.admits(at(30))).toBe('probe')
  })

  it('closes on the first call that gets through, and says whether it was open', () => {
    const circuit = new Circuit()
    expect(circuit.reset()).toBe(false)
    circuit.trip('401', at(0))
    expect(circuit.reset()).toBe(true)
    expect(circuit.admits(at(1))).toBe('closed')
    expect(circuit.state()).toEqual({
      open: false,
      since: undefined,
      reason: undefined,
      probeAt: undefined,
    })
  })
})
