#!/usr/bin/env node
// The targets of bench/sessions/run.js in one process: a `ws` echo server and the gRPC echo
// service of test/fixtures/grpc/echo.proto (unary only is benchmarked). Prints their ports as JSON.
import * as grpc from '@grpc/grpc-js'
import {loadSync} from '@grpc/proto-loader'
import {WebSocketServer} from 'ws'

const wss = new WebSocketServer({port: 0, host: '127.0.0.1', perMessageDeflate: false})
wss.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, {binary: isBinary})))
await new Promise((resolve) => wss.once('listening', resolve))

const echo = grpc.loadPackageDefinition(loadSync(process.argv[2])).loadtest.Echo
const server = new grpc.Server()
server.addService(echo.service, {Unary: (call, callback) => callback(null, {text: call.request.text})})
const grpcPort = await new Promise((resolve, reject) =>
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
    error ? reject(error) : resolve(port),
  ),
)
console.log(JSON.stringify({ws: wss.address().port, grpc: grpcPort}))
process.on('SIGTERM', () => process.exit(0))
