using System.Net;
using System.Net.Sockets;
using Friture.Streaming.Data;
using Friture.Streaming.Protocols;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Tests.Protocols;

/// <summary>How a protocol uses its <see cref="StreamingProtocol.Host"/> and <see cref="StreamingProtocol.Port"/>.</summary>
public enum ProtocolEndpointKind
{
    /// <summary>Listens on a TCP port (WebSocket, SSE, TCP).</summary>
    TcpListener,

    /// <summary>Binds a UDP port (UDP, OSC over UDP).</summary>
    UdpSocket,

    /// <summary>Connects out to a broker at Host:Port and binds nothing (MQTT).</summary>
    Broker,
}

/// <summary>
/// The lifecycle contract every <see cref="StreamingProtocol"/> keeps, written once and inherited by each protocol's
/// test class (as System.Threading.Channels tests every channel kind through one base): start, stop, restart, port in
/// use, broadcast with no client and while stopped, dispose twice, statistics.
/// </summary>
/// <typeparam name="TProtocol">The protocol under test.</typeparam>
/// <remarks>Linked into each protocol test project (Server, Mqtt, Osc). Real sockets on 127.0.0.1; no sleeps.</remarks>
[Trait(TestCategory.Name, TestCategory.Integration)]
public abstract class StreamingProtocolContractTests<TProtocol>
    where TProtocol : StreamingProtocol
{
    /// <summary>The protocol's <see cref="StreamingProtocol.Name"/>.</summary>
    protected abstract string ExpectedName { get; }

    /// <summary>What the protocol does with its endpoint.</summary>
    protected abstract ProtocolEndpointKind EndpointKind { get; }

    /// <summary>Creates a stopped protocol for 127.0.0.1:<paramref name="port"/> (0: any free port, where the protocol binds one).</summary>
    /// <param name="port">The port.</param>
    /// <returns>The protocol.</returns>
    protected abstract TProtocol Create(int port);

    /// <summary>A port the protocol starts on: 0 (any free port) for listeners, a closed port for a broker client.</summary>
    protected virtual int StartPort => EndpointKind == ProtocolEndpointKind.Broker ? ClosedTcpPort() : 0;

    [Fact]
    public async Task StartAsync_Stopped_RunsAndStatisticsSayWhere()
    {
        await using var protocol = Create(StartPort);
        Assert.False(protocol.GetStatistics().IsRunning);

        await protocol.StartAsync(TestContext.Current.CancellationToken);

        Assert.True(protocol.IsRunning);
        var statistics = protocol.GetStatistics();
        Assert.True(statistics.IsRunning);
        Assert.Equal(ExpectedName, protocol.Name);
        Assert.Equal(ExpectedName, statistics.Name);
        Assert.Equal("127.0.0.1", statistics.Host);
        Assert.Equal(protocol.Port, statistics.Port);
        Assert.NotEqual(0, protocol.Port);
        if (EndpointKind != ProtocolEndpointKind.Broker)
        {
            Assert.False(IsFree(protocol.Port), $"port {protocol.Port} should be held while running");
        }
    }

    [Fact]
    public async Task StartAsync_Concurrently_StartsOnce()
    {
        await using var protocol = Create(StartPort);

        await Task.WhenAll(
            protocol.StartAsync(TestContext.Current.CancellationToken),
            protocol.StartAsync(TestContext.Current.CancellationToken),
            protocol.StartAsync(TestContext.Current.CancellationToken));

        Assert.True(protocol.IsRunning);
        await protocol.StopAsync(TestContext.Current.CancellationToken);
        Assert.False(protocol.IsRunning);
    }

    [Fact]
    public async Task StopAsync_Running_StopsAndFreesPort()
    {
        await using var protocol = Create(StartPort);
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        var port = protocol.Port;

        await protocol.StopAsync(TestContext.Current.CancellationToken);

        Assert.False(protocol.IsRunning);
        Assert.False(protocol.GetStatistics().IsRunning);
        Assert.True(IsFree(port), $"port {port} should be free after stop");
    }

    [Fact]
    public async Task StopAsync_NeverStarted_DoesNothing()
    {
        await using var protocol = Create(StartPort);

        await protocol.StopAsync(TestContext.Current.CancellationToken);

        Assert.False(protocol.IsRunning);
    }

    [Fact]
    public async Task StartAsync_AfterStop_RestartsOnTheSamePort()
    {
        await using var protocol = Create(StartPort);
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        var port = protocol.Port;
        await protocol.StopAsync(TestContext.Current.CancellationToken);

        await protocol.StartAsync(TestContext.Current.CancellationToken);

        Assert.True(protocol.IsRunning);
        Assert.Equal(port, protocol.Port);
        protocol.Broadcast(Message(1), SerializationFormat.Json);
        Assert.Equal(1, protocol.GetStatistics().MessagesBroadcast);
    }

    [Fact]
    public async Task StartAsync_PortInUse_ThrowsProtocolExceptionNamingThePort()
    {
        // A broker client binds nothing: its unusable endpoint is port 0, which names no broker.
        using var blocker = EndpointKind switch
        {
            ProtocolEndpointKind.TcpListener => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp),
            ProtocolEndpointKind.UdpSocket => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp),
            _ => null,
        };
        var port = 0;
        if (blocker is not null)
        {
            blocker.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            if (blocker.SocketType == SocketType.Stream)
            {
                blocker.Listen();
            }

            port = ((IPEndPoint)blocker.LocalEndPoint!).Port;
        }

        await using var protocol = Create(port);

        var ex = await Assert.ThrowsAsync<ProtocolException>(() => protocol.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.False(protocol.IsRunning);
        Assert.False(protocol.GetStatistics().IsRunning);
    }

    [Fact]
    public async Task Broadcast_NoClient_CountedButNeitherSentNorDropped()
    {
        await using var protocol = Create(StartPort);
        await protocol.StartAsync(TestContext.Current.CancellationToken);

        protocol.Broadcast(Message(1), SerializationFormat.Json);
        protocol.Broadcast(Message(2), SerializationFormat.Binary);
        protocol.SendData("{\"hello\":1}");

        var statistics = protocol.GetStatistics();
        Assert.Equal(3, statistics.MessagesBroadcast);
        Assert.Equal(0, statistics.MessagesSent);
        Assert.Equal(0, statistics.MessagesDropped);
    }

    [Fact]
    public async Task Broadcast_Stopped_CountedAndIgnored()
    {
        await using var protocol = Create(StartPort);

        protocol.Broadcast(Message(1), SerializationFormat.Json);
        protocol.SendData("text");

        var statistics = protocol.GetStatistics();
        Assert.Equal(2, statistics.MessagesBroadcast);
        Assert.Equal(0, statistics.MessagesSent);
        Assert.Throws<ArgumentNullException>(() => protocol.Broadcast(null!, SerializationFormat.Json));
        Assert.Throws<ArgumentNullException>(() => protocol.SendData(null!));
    }

    [Fact]
    public async Task DisposeAsync_Twice_StopsOnceFreesPortAndRefusesStart()
    {
        var protocol = Create(StartPort);
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        var port = protocol.Port;

        await protocol.DisposeAsync();
        await protocol.DisposeAsync();

        Assert.False(protocol.IsRunning);
        Assert.True(IsFree(port), $"port {port} should be free after dispose");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => protocol.StartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Endpoint_ChangedWhileRunning_ThrowsAndWorksWhenStopped()
    {
        await using var protocol = Create(StartPort);
        await protocol.StartAsync(TestContext.Current.CancellationToken);

        var ex = Assert.Throws<InvalidOperationException>(() => protocol.Port = 1234);
        Assert.Contains(ExpectedName, ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => protocol.Host = "localhost");

        await protocol.StopAsync(TestContext.Current.CancellationToken);
        protocol.Host = "localhost";
        Assert.Equal("localhost", protocol.GetStatistics().Host);
    }

    [Fact]
    public async Task ErrorOccurred_HandlerThrows_ProtocolStillStops()
    {
        await using var protocol = Create(StartPort);
        protocol.ErrorOccurred += (_, _) => throw new InvalidOperationException("a faulty handler");
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        protocol.Broadcast(Message(1), SerializationFormat.Json);

        await protocol.StopAsync(TestContext.Current.CancellationToken);

        Assert.False(protocol.IsRunning);
    }

    /// <summary>A small stream message.</summary>
    /// <param name="sequence">Its sequence number.</param>
    /// <returns>The message.</returns>
    protected static StreamingData Message(long sequence) => new(
        new StreamingMetadata
        {
            DataType = DataType.PitchTracker,
            Timestamp = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero).AddMilliseconds(sequence * 20),
            StreamTime = sequence * 0.02,
            SampleRate = 48_000,
            Channels = 1,
            SequenceNumber = sequence,
            ProducerId = "contract",
        },
        new PitchData { FrequencyHz = 440.0, Confidence = 0.9, NoteName = "A4" });

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on (bound, read, released).</summary>
    /// <returns>The port.</returns>
    protected static int ClosedTcpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private bool IsFree(int port)
    {
        if (EndpointKind == ProtocolEndpointKind.Broker)
        {
            return true;
        }

        var type = EndpointKind == ProtocolEndpointKind.TcpListener ? SocketType.Stream : SocketType.Dgram;
        var protocolType = EndpointKind == ProtocolEndpointKind.TcpListener ? ProtocolType.Tcp : ProtocolType.Udp;
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocolType);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
