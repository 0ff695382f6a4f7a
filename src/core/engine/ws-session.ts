/**
 * WebSocket sessions on `ws` (measured against undici's WebSocket in bench/sessions): connect,
 * send the scenario's messages (each after the previous reply, or one every `everyMs` on a
 * schedule from the open), take each received message that passes `expect` as the reply to the
 * oldest unanswered one, close. Round trips are corrected against the schedule: a message due at
 * 100 ms but sent at 130 ms because the generator was late counts from 100 ms.
 */
import {createRequire} from 'node:module'
import type WsWebSocket from 'ws'
import {compileTemplate, type CompiledTemplate} from './template.js'
import {applyResponse, judgeChecks} from './journey.js'
import type {WsSessionSpec} from './run-options.js'
import {cutOffError, type SessionDriver, type SessionHost, type SessionSlot} from './session-engine.js'
import type {DispatchOptions} from './request-factory.js'

interface WsSession {
  socket: WsWebSocket
  spec: WsSessionSpec
  template: CompiledTemplate
  sent: number
  /** Unanswered messages, oldest first: when each was due and when it went out. */
  dueMs: number[]
  sentMs: number[]
  openedMs: number
  sendTimer: NodeJS.Timeout | undefined
  replyTimer: NodeJS.Timeout | undefined
  closeTimer: NodeJS.Timeout | undefined
  /** loadplan sent its close frame (a normal end). */
  closing: boolean
  winding: boolean
  error: Error | undefined
  seq: number
  row: Readonly<Record<string, string>> | undefined
  vars: Record<string, string>
}

const jsonEscape = (value: string) => JSON.stringify(value).slice(1, -1)

function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), {code})
}

/** ws reports a refused or timed-out handshake by message only; give them codes the classifier knows. */
function withWsCode(error: Error): Error {
  if ((error as {code?: unknown}).code !== undefined) return error
  if (/handshake has timed out/i.test(error.message)) return coded(error.message, 'LOADPLAN_WS_HANDSHAKE_TIMEOUT')
  if (/^Unexpected server response/i.test(error.message)) return coded(error.message, 'LOADPLAN_WS_HANDSHAKE_REFUSED')
  return error
}

/** undici-style raw headers (name, value, …) as the object ws takes. */
function headerObject(headers: DispatchOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {}
  if (Array.isArray(headers))
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i])] = String(headers[i + 1])
  return out
}

const require = createRequire(import.meta.url)

export function createWsDriver(host: SessionHost): SessionDriver {
  // Loaded when a WebSocket run starts, not by every run.
  const WebSocket = require('ws') as typeof WsWebSocket
  const {options} = host
  const dataColumns = options.data?.columns
  const templates = options.scenarios.map((scenario) => {
    const spec = scenario.session as WsSessionSpec
    const compiled = compileTemplate(spec.send, {
      ...(dataColumns ? {dataColumns} : {}),
      messages: true,
      vars: {has: () => true, names: () => []},
      escape: spec.sendIsJson ? jsonEscape : undefined,
    })
    // Validation already ran in resolveRunOptions; reaching this is a bug.
    if ('errors' in compiled) throw new Error(`message template was not validated: ${compiled.errors.join('; ')}`)
    return compiled
  })
  const origin = options.origin.replace(/\/$/, '')
  const live = new Set<WsSession>()

  const sendOne = (slot: SessionSlot, session: WsSession, dueMs: number): void => {
    const {socket, spec} = session
    const text = session.template.isStatic
      ? session.template.text
      : session.template.render({
          seq: session.seq,
          random: host.random,
          row: session.row,
          vars: session.vars,
          message: session.sent,
        })
    const payload = spec.binary ? Buffer.from(text) : text
    const nowMs = host.now()
    session.sent++
    session.dueMs.push(dueMs)
    session.sentMs.push(nowMs)
    socket.send(payload)
    host.messageSent(slot, typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length)
    if (session.replyTimer === undefined) armReplyTimer(slot, session)
  }

  /** One timer per session, armed when none is: it fails what is overdue and re-arms for the oldest left. */
  const armReplyTimer = (slot: SessionSlot, session: WsSession): void => {
    const oldest = session.sentMs[0]
    if (oldest === undefined) return
    session.replyTimer = setTimeout(
      () => {
        session.replyTimer = undefined
        const limitMs = host.now() - options.timeoutMs
        while (session.sentMs.length > 0 && (session.sentMs[0] as number) <= limitMs) {
          session.dueMs.shift()
          session.sentMs.shift()
          host.roundTripFailed(slot, coded(`no reply within ${options.timeoutMs} ms`, 'LOADPLAN_REPLY_TIMEOUT'))
        }
        armReplyTimer(slot, session)
        carryOn(slot, session)
      },
      Math.max(0, oldest + options.timeoutMs - host.now()),
    )
  }

  /** Sends what is due next, or closes once everything is sent and answered. */
  const carryOn = (slot: SessionSlot, session: WsSession): void => {
    const {spec} = session
    if (session.closing || session.socket.readyState !== WebSocket.OPEN) return
    const done = session.winding || host.winding || session.sent >= spec.messages
    if (!done && spec.everyMs === undefined && session.sentMs.length === 0) sendOne(slot, session, host.now())
    else if (done && session.sentMs.length === 0) {
      session.closing = true
      session.socket.close(spec.closeCode)
      // ws waits 30 s for the server's close frame; the run's timeout is the bound instead.
      session.closeTimer = setTimeout(() => session.socket.terminate(), options.timeoutMs)
    }
  }

  const sendDue = (slot: SessionSlot, session: WsSession): void => {
    session.sendTimer = undefined
    const everyMs = session.spec.everyMs as number
    const nowMs = host.now()
    while (!session.winding && !host.winding && session.sent < session.spec.messages) {
      const dueMs = session.openedMs + session.sent * everyMs
      if (dueMs > nowMs) {
        session.sendTimer = setTimeout(() => sendDue(slot, session), dueMs - nowMs)
        return
      }
      sendOne(slot, session, dueMs)
    }
    carryOn(slot, session)
  }

  const end = (slot: SessionSlot, session: WsSession, code: number): void => {
    live.delete(session)
    if (session.sendTimer) clearTimeout(session.sendTimer)
    if (session.replyTimer) clearTimeout(session.replyTimer)
    if (session.closeTimer) clearTimeout(session.closeTimer)
    let error = session.error
    if (!error && !session.closing) error = coded(`the server closed the session (${code})`, 'LOADPLAN_WS_CLOSED')
    host.ended(slot, error ? {code: String(code), error} : {code: String(code)}, session.sentMs.length)
  }

  return {
    start(slot, spec, handshake) {
      const ws = spec as WsSessionSpec
      const socket = new WebSocket(`${origin}${handshake.path}`, {
        headers: headerObject(handshake.headers),
        handshakeTimeout: options.timeoutMs,
        perMessageDeflate: false,
        rejectUnauthorized: !options.insecure,
      })
      const session: WsSession = {
        socket,
        spec: ws,
        template: templates[slot.scenario] as CompiledTemplate,
        sent: 0,
        dueMs: [],
        sentMs: [],
        openedMs: 0,
        sendTimer: undefined,
        replyTimer: undefined,
        closeTimer: undefined,
        closing: false,
        winding: false,
        error: undefined,
        seq: host.factory.seq,
        row: host.factory.row,
        vars: {},
      }
      slot.state = session
      live.add(session)
      socket.on('open', () => {
        session.openedMs = host.now()
        host.connected(slot, session.openedMs - slot.startedMs)
        if (ws.everyMs === undefined) carryOn(slot, session)
        else sendDue(slot, session)
      })
      socket.on('message', (data: Buffer) => {
        host.messageReceived(slot, data.length)
        if (session.sentMs.length === 0) return
        const needsText = ws.expect.length > 0 || ws.extracts.length > 0
        const response = {status: 0, headers: undefined, body: needsText ? data.toString('utf8') : undefined}
        if (ws.expect.length > 0 && !judgeChecks(ws.expect, response).every(Boolean)) return
        const dueMs = session.dueMs.shift() as number
        const sentMs = session.sentMs.shift() as number
        host.roundTrip(slot, dueMs, sentMs)
        if (ws.extracts.length > 0) applyResponse(ws.extracts, response, session.vars, undefined)
        // The reply timer stays armed for the message it was armed for: when it fires it re-arms for
        // the oldest one still unanswered, so a fast echo costs no timer per message.
        carryOn(slot, session)
      })
      socket.on('error', (error: Error) => {
        session.error ??= withWsCode(error)
      })
      socket.on('close', (code: number) => end(slot, session, code))
    },
    wind(slot) {
      const session = slot.state as WsSession
      session.winding = true
      if (session.sendTimer) clearTimeout(session.sendTimer)
      session.sendTimer = undefined
      carryOn(slot, session)
    },
    cut(slot) {
      const session = slot.state as WsSession
      session.error = cutOffError()
      session.socket.terminate()
    },
    async destroy() {
      for (const session of live) session.socket.terminate()
      live.clear()
    },
  }
}
