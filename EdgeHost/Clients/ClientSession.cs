using System.Net.WebSockets;
using NymGateway.EdgeHost.Forwarding;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Grains;
using NymGateway.Nym.Encoding;
using NymGateway.Nym.GatewayRequests;

namespace NymGateway.EdgeHost.Clients;

/// <summary>
/// One client websocket, speaking 0.9.2's protocol: first authenticate or register (the
/// handshake), answered with 0.9.2's JSON responses and errors; then ForwardSphinx requests in,
/// pushed mix messages out. Unlike 0.9.2, a new connection of the same client replaces the old
/// one instead of being refused, so a crashed client is never locked out. When the gateway stops,
/// the session finishes the push under way and closes with 1001 (going away).
/// </summary>
public sealed class ClientSession(
    WebSocketChannel socket,
    GatewayIdentity identity,
    IClusterClient cluster,
    MixPacketForwarder forwarder,
    EdgeOptions options,
    GatewayMetrics metrics,
    ClusterChangeSignal clusterChanges,
    ClientLogThrottles throttles,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>How long a client has to answer our close frame before the connection is dropped.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly Guid _session = Guid.NewGuid();
    private int _goingAway;

    /// <param name="aborted">The connection is gone.</param>
    /// <param name="draining">The gateway is stopping.</param>
    public async Task RunAsync(CancellationToken aborted, CancellationToken draining)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        Authenticated? client;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ended.Token))
        using (draining.Register(() => _ = GoAwayAsync(ended)))
        {
            deadline.CancelAfter(options.Limits.AuthenticationTimeout);
            try
            {
                client = await AuthenticateAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!ended.IsCancellationRequested)
            {
                if (throttles.FailedAuthentications.TryEnter())
                {
                    logger.AuthenticationTimedOut(options.Limits.AuthenticationTimeout);
                }
                await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "authentication timed out");
                return;
            }
        }
        if (client is null)
        {
            return;
        }
        if (draining.IsCancellationRequested)
        {
            await GoAwayAsync(ended);
            return;
        }

        var clientGrain = cluster.GetGrain<IClientGrain>(client.Address);
        var previous = await clientGrain.TakeOver(_session);
        metrics.ClientsConnected.Add(1);
        var pump = new InboxPump(client.Address, _session, client.Keys, socket, cluster.GetGrain<IInboxGrain>(client.Address),
            new InboxNotifications(cluster, client.Address), options, metrics, clusterChanges, time, logger);
        using var stopPumping = CancellationTokenSource.CreateLinkedTokenSource(ended.Token, draining);
        var pumping = PumpAfterAsync(previous is { } older ? clientGrain.Released(older) : Task.CompletedTask, pump, stopPumping.Token, ended.Token);
        var heartbeat = HeartbeatAsync(clientGrain, client.Address, stopPumping.Token);
        try
        {
            var listening = ListenAsync(client, ended.Token);
            await Task.WhenAny(pumping, listening, heartbeat);
            if (heartbeat.IsCompletedSuccessfully || pumping is { IsCompletedSuccessfully: true, Result: InboxPumpEnd.TakenOver })
            {
                logger.ClientConnectedElsewhere(new ClientAddressPrefix(client.Address));
                // The pump finishes its push under way and its acknowledgement first.
                await stopPumping.CancelAsync();
                await ((Task)pumping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "a newer connection of this client took over");
            }
            else if (draining.IsCancellationRequested)
            {
                // The pump stopped after its last push; the client now gets the close frame and may answer it.
                await ((Task)pumping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await GoAwayAsync(ended);
                await listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            await ended.CancelAsync();
            await Task.WhenAll(pumping, listening, heartbeat).ContinueWith(t => LogFault(t.Exception), TaskScheduler.Default);
        }
        finally
        {
            metrics.ClientsConnected.Add(-1);
            logger.ClientDisconnected(new ClientAddressPrefix(client.Address));
            await clientGrain.Release(_session);
        }
    }

    private sealed record Authenticated(string Address, SharedKeys Keys);

    /// <summary>
    /// Pumps once the session taken over released the client (its pushes acknowledged, bounded):
    /// a drain before that would push again what it pushed. Requests are served meanwhile.
    /// </summary>
    private static async Task<InboxPumpEnd> PumpAfterAsync(Task previousReleased, InboxPump pump, CancellationToken stop, CancellationToken abort)
    {
        try
        {
            await previousReleased.WaitAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return InboxPumpEnd.Stopped;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The client's entry cannot say: pump anyway, as before there was a wait.
        }
        return await pump.RunAsync(stop, abort);
    }

    /// <summary>
    /// Re-asserts the session every <see cref="EdgeOptions.InboxRedrainInterval"/> (which also keeps
    /// the client's grains active and online); completes when another session took the client over.
    /// </summary>
    private async Task HeartbeatAsync(IClientGrain clientGrain, string address, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.InboxRedrainInterval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                if (!await clientGrain.Heartbeat(_session))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.HeartbeatFailed(new ClientAddressPrefix(address), ex.Message);
            }
        }
    }

    /// <summary>Sends 1001 once; the receive loop then ends with the client's answer, or after <see cref="CloseHandshakeTimeout"/>.</summary>
    private async Task GoAwayAsync(CancellationTokenSource ended)
    {
        if (Interlocked.Exchange(ref _goingAway, 1) == 1)
        {
            return;
        }
        await socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "gateway shutting down");
        try
        {
            ended.CancelAfter(CloseHandshakeTimeout);
        }
        catch (ObjectDisposedException)
        {
            // the session ended meanwhile
        }
    }

    /// <summary>0.9.2's wait_for_initial_authentication: loops until success or the socket ends.</summary>
    private async Task<Authenticated?> AuthenticateAsync(CancellationToken cancellationToken)
    {
        while (await socket.ReceiveAsync(cancellationToken) is { } frame)
        {
            Authenticated? client = null;
            ServerResponse response;
            if (frame.Type == WebSocketMessageType.Binary)
            {
                if (throttles.WrongFrames.TryEnter())
                {
                    logger.BinaryBeforeAuthentication();
                }
                response = new ServerResponse.Error("binary request without prior authentication");
            }
            else if (!GatewayJson.TryParseClientControlRequest(frame.Text, out var request))
            {
                response = Malformed("malformed request");
            }
            else
            {
                (response, client) = request switch
                {
                    ClientControlRequest.Authenticate auth => await HandleAuthenticateAsync(auth),
                    ClientControlRequest.RegisterHandshakeInit init => await HandleRegisterAsync(init.Data, cancellationToken),
                    _ => (Malformed("malformed request"), null),
                };
            }
            await socket.SendTextAsync(GatewayJson.Serialize(response), cancellationToken);
            if (client is not null)
            {
                return client;
            }
        }
        return null;
    }

    private async Task<(ServerResponse, Authenticated?)> HandleAuthenticateAsync(ClientControlRequest.Authenticate request)
    {
        if (!Authentication.TryDecodeAddress(request.Address, out var address, out _))
        {
            return (Malformed("malformed destination address"), null);
        }
        if (!Authentication.TryDecodeEncryptedAddress(request.EncAddress, out var encrypted, out _))
        {
            return (Malformed("malformed encrypted address"), null);
        }
        if (!Authentication.TryDecodeIv(request.Iv, out var iv, out _))
        {
            return (Malformed("malformed iv"), null);
        }

        var key = Base58Text.Encode(address);
        var stored = await cluster.GetGrain<IClientGrain>(key).GetSharedKeys();
        if (stored is null || !Authentication.Verify(SharedKeys.FromBytes(stored), address, iv, encrypted))
        {
            if (throttles.FailedAuthentications.TryEnter())
            {
                logger.AuthenticationFailed(new ClientAddressPrefix(key));
            }
            return (new ServerResponse.Authenticate(false), null);
        }
        logger.ClientAuthenticated(new ClientAddressPrefix(key));
        return (new ServerResponse.Authenticate(true), new Authenticated(key, SharedKeys.FromBytes(stored)));
    }

    /// <summary>0.9.2's handle_register: run the handshake, then store the derived keys in the ledger.</summary>
    private async Task<(ServerResponse, Authenticated?)> HandleRegisterAsync(byte[] init, CancellationToken cancellationToken)
    {
        if (!GatewayHandshake.TryReadClientIdentity(init, out var clientIdentity))
        {
            return (Malformed("malformed request"), null);
        }

        var handshake = new GatewayHandshake(identity.Identity);
        var step = handshake.Start(init);
        while (true)
        {
            if (step.Send is not null)
            {
                await socket.SendTextAsync(step.Send, cancellationToken);
            }
            if (step.Error is not null)
            {
                if (throttles.FailedAuthentications.TryEnter())
                {
                    logger.HandshakeFailed(step.Error);
                }
                return (new ServerResponse.Error($"failed to perform the handshake - {step.Error}"), null);
            }
            if (step.Keys is not null)
            {
                break;
            }
            var frame = await socket.ReceiveAsync(cancellationToken);
            if (frame is null)
            {
                return (new ServerResponse.Error($"failed to perform the handshake - {new HandshakeError(HandshakeErrorKind.ClosedStream)}"), null);
            }
            if (frame.Value.Type != WebSocketMessageType.Text)
            {
                if (throttles.WrongFrames.TryEnter())
                {
                    logger.NonTextDuringHandshake();
                }
                continue;
            }
            step = handshake.Receive(frame.Value.Text);
            if (step.Ignored && throttles.WrongFrames.TryEnter())
            {
                logger.NonHandshakeMessage();
            }
        }

        var address = clientIdentity.ToBase58();
        await cluster.GetGrain<IClientGrain>(address).Register(step.Keys.Bytes.ToArray());
        logger.ClientRegistered(new ClientAddressPrefix(address));
        return (new ServerResponse.Register(true), new Authenticated(address, step.Keys));
    }

    /// <summary>0.9.2's listen_for_requests: binary ForwardSphinx requests; any text is an invalid request.</summary>
    private async Task ListenAsync(Authenticated client, CancellationToken cancellationToken)
    {
        var quota = new SendQuota(options.Limits, time);
        while (await socket.ReceiveAsync(cancellationToken) is { } frame)
        {
            ServerResponse response;
            if (frame.Type == WebSocketMessageType.Binary)
            {
                if (!BinaryMessages.TryOpenForwardSphinx(client.Keys, frame.Data, out var packet, out var error))
                {
                    if (throttles.BadForwardRequests.TryEnter())
                    {
                        logger.BadForwardRequest(new ClientAddressPrefix(client.Address), error!.ToString());
                    }
                    response = new ServerResponse.Error(error!.ToString());
                }
                // The quota counts what would be forwarded: a malformed request still gets its 0.9.2 error.
                else if (!quota.TryTake(frame.Data.Length, out var refusal))
                {
                    response = OverQuota(client, refusal);
                }
                else
                {
                    // 0.9.2 answers every forwarded request with success; a drop is counted and logged by the forwarder.
                    await forwarder.ForwardAsync(packet, cancellationToken);
                    response = new ServerResponse.Send(true);
                }
            }
            else
            {
                if (throttles.WrongFrames.TryEnter())
                {
                    logger.TextAfterAuthentication();
                }
                response = new ServerResponse.Error("invalid request");
            }
            await socket.SendTextAsync(GatewayJson.Serialize(response), cancellationToken);
        }
    }

    private ServerResponse.Error OverQuota(Authenticated client, SendRefusal refusal)
    {
        var limits = options.Limits;
        metrics.RequestsRefused.Add(1, refusal == SendRefusal.Packets ? GatewayMetrics.PacketQuota : GatewayMetrics.ByteQuota);
        if (throttles.OverQuota.TryEnter())
        {
            logger.OverSendQuota(new ClientAddressPrefix(client.Address), refusal, limits.MaxClientPacketsPerInterval, limits.MaxClientBytesPerInterval, limits.ClientQuotaInterval);
        }
        return new ServerResponse.Error(
            $"request refused: over the gateway's send quota of {limits.MaxClientPacketsPerInterval} packets and {limits.MaxClientBytesPerInterval} bytes per {limits.ClientQuotaInterval}");
    }

    private ServerResponse.Error Malformed(string error)
    {
        if (throttles.MalformedRequests.TryEnter())
        {
            logger.MalformedRequest(error);
        }
        return new ServerResponse.Error(error);
    }

    private void LogFault(AggregateException? fault)
    {
        var unexpected = fault?.Flatten().InnerExceptions
            .Where(e => e is not (OperationCanceledException or WebSocketException or IOException or ObjectDisposedException))
            .ToList();
        if (unexpected is { Count: > 0 })
        {
            logger.SessionFault(new AggregateException(unexpected));
        }
    }
}
