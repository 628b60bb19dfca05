using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Friture.Streaming.Mqtt.Tests.Support;
using Friture.Streaming.Serialization;

namespace Friture.Streaming.Mqtt.Tests;

/// <summary>TLS against Mosquitto with a private CA generated per test.</summary>
public sealed class MqttProtocolTlsTests
{
    private static void WriteCertificates(string directory)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Friture Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);

        File.WriteAllText(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "server.pem"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
    }

    private static Task<MosquittoBroker> StartTlsBrokerAsync() => MosquittoBroker.StartAsync(
        "allow_anonymous false\npassword_file {dir}/passwords\ncafile {dir}/ca.pem\ncertfile {dir}/server.pem\nkeyfile {dir}/server.key",
        directory =>
        {
            WriteCertificates(directory);
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(MosquittoBroker.Require("mosquitto_passwd"))
            {
                ArgumentList = { "-b", "-c", Path.Combine(directory, "passwords"), "station", "s3cret" },
                UseShellExecute = false,
            })!;
            process.WaitForExit();
        });

    [Fact]
    public async Task Tls_PrivateCaAndCredentials_PublishesOverTls()
    {
        await using var broker = await StartTlsBrokerAsync();
        await using var protocol = new MqttProtocol("127.0.0.1", broker.Port, new MqttProtocolOptions
        {
            SourceId = "secure",
            UseTls = true,
            TlsCaFile = Path.Combine(broker.Directory, "ca.pem"),
            Username = "station",
            Password = "s3cret",
        });
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        protocol.ErrorOccurred += (_, e) => errors.Enqueue(e.Message + " / " + e.Exception);
        await protocol.StartAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => protocol.IsConnected || !errors.IsEmpty, "the TLS connection");
        Assert.True(errors.IsEmpty, string.Join("\n", errors));

        protocol.Broadcast(Messages.Pitch(0), SerializationFormat.Json);

        await Wait.UntilAsync(() => protocol.GetMqttStatistics().Published == 1, "the publish over TLS");
        Assert.Equal(0, protocol.GetMqttStatistics().ConnectFailures);
    }

    [Fact]
    public async Task Tls_UntrustedBrokerCertificate_IsRefused()
    {
        await using var broker = await StartTlsBrokerAsync();
        await using var protocol = new MqttProtocol("127.0.0.1", broker.Port, new MqttProtocolOptions
        {
            SourceId = "secure",
            UseTls = true,
            Username = "station",
            Password = "s3cret",
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
        });
        await protocol.StartAsync(TestContext.Current.CancellationToken);

        await Wait.UntilAsync(() => protocol.GetMqttStatistics().ConnectFailures >= 2, "refused TLS handshakes");
        Assert.Equal(0, protocol.GetMqttStatistics().Connections);
    }
}
