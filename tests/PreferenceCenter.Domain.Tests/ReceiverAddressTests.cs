using System.Net;
using PreferenceCenter.Domain.Webhooks;

namespace PreferenceCenter.Domain.Tests;

public class ReceiverAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", AddressRange.Loopback)]
    [InlineData("127.255.255.254", AddressRange.Loopback)]
    [InlineData("::1", AddressRange.Loopback)]
    [InlineData("::ffff:127.0.0.1", AddressRange.Loopback)]
    [InlineData("10.0.0.1", AddressRange.Private)]
    [InlineData("10.255.255.255", AddressRange.Private)]
    [InlineData("172.16.0.1", AddressRange.Private)]
    [InlineData("172.31.255.255", AddressRange.Private)]
    [InlineData("192.168.1.1", AddressRange.Private)]
    [InlineData("::ffff:10.0.0.1", AddressRange.Private)]
    [InlineData("::ffff:192.168.0.10", AddressRange.Private)]
    [InlineData("fec0::1", AddressRange.Private)]
    [InlineData("169.254.169.254", AddressRange.LinkLocal)]
    [InlineData("::ffff:169.254.169.254", AddressRange.LinkLocal)]
    [InlineData("fe80::1", AddressRange.LinkLocal)]
    [InlineData("febf::1", AddressRange.LinkLocal)]
    [InlineData("fc00::1", AddressRange.UniqueLocal)]
    [InlineData("fd12:3456:789a::1", AddressRange.UniqueLocal)]
    [InlineData("100.64.0.1", AddressRange.SharedAddressSpace)]
    [InlineData("100.127.255.254", AddressRange.SharedAddressSpace)]
    [InlineData("::ffff:100.100.100.200", AddressRange.SharedAddressSpace)]
    [InlineData("224.0.0.1", AddressRange.Multicast)]
    [InlineData("239.255.255.250", AddressRange.Multicast)]
    [InlineData("ff02::1", AddressRange.Multicast)]
    [InlineData("0.0.0.0", AddressRange.Unspecified)]
    [InlineData("0.1.2.3", AddressRange.Unspecified)]
    [InlineData("::", AddressRange.Unspecified)]
    [InlineData("::ffff:0.0.0.0", AddressRange.Unspecified)]
    [InlineData("255.255.255.255", AddressRange.Broadcast)]
    [InlineData("240.0.0.1", AddressRange.Reserved)]
    [InlineData("192.0.0.170", AddressRange.Reserved)]
    [InlineData("198.18.0.1", AddressRange.Reserved)]
    [InlineData("::7f00:1", AddressRange.Reserved)]
    [InlineData("100::1", AddressRange.Reserved)]
    [InlineData("64:ff9b::7f00:1", AddressRange.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressRange.LinkLocal)]
    public void Classify_NamesTheRange_OfEveryAddressTheDispatcherMustNotReach(string address, AddressRange expected)
    {
        Assert.Equal(expected, ReceiverAddress.Classify(IPAddress.Parse(address)));
        Assert.False(ReceiverAddress.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("192.169.0.1")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("fbff::1")]
    public void Classify_CallsItPublic_WhenTheAddressIsOnTheInternet(string address)
    {
        Assert.Equal(AddressRange.Public, ReceiverAddress.Classify(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("http://2130706433:8080/hooks", "127.0.0.1")]
    [InlineData("http://0x7f000001/hooks", "127.0.0.1")]
    [InlineData("http://0177.0.0.1/hooks", "127.0.0.1")]
    [InlineData("http://127.1/hooks", "127.0.0.1")]
    public void Uri_ReadsOtherIPv4Notations_AsTheAddressTheClassifierSees(string url, string canonical)
    {
        // HttpClient connects to what Uri makes of the host, so that is what must be classified.
        var host = new Uri(url).DnsSafeHost;
        Assert.Equal(canonical, host);
        Assert.Equal(AddressRange.Loopback, ReceiverAddress.Classify(IPAddress.Parse(host)));
    }

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/", "link-local")]
    [InlineData("https://10.0.0.1/", "private network")]
    [InlineData("https://172.20.1.1/", "private network")]
    [InlineData("https://192.168.0.1/", "private network")]
    [InlineData("https://100.64.0.1/", "carrier-grade NAT")]
    [InlineData("http://2130706433:8080/", "loopback")]
    [InlineData("http://[::ffff:127.0.0.1]:8080/", "loopback")]
    [InlineData("http://[::1]:8080/", "loopback")]
    [InlineData("https://[fd00::1]/", "unique-local")]
    [InlineData("https://[fe80::1]/", "link-local")]
    [InlineData("https://localhost/", "loopback")]
    [InlineData("https://api.localhost/", "loopback")]
    [InlineData("https://0.0.0.0/", "unspecified")]
    [InlineData("https://224.0.0.1/", "multicast")]
    [InlineData("https://255.255.255.255/", "broadcast")]
    public void TryCheckPublicHost_RefusesWithTheRange_WhenTheHostIsALiteralNonPublicAddress(string url, string range)
    {
        Assert.False(WebhookRules.TryCheckPublicHost(url, out var problem));
        Assert.Contains(range, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://crm.example/hooks")]
    [InlineData("https://93.184.215.14/hooks")]
    [InlineData("https://[2606:4700:4700::1111]/hooks")]

    // A name is judged when the dispatcher connects: localtest.me resolves to 127.0.0.1 and is refused there.
    [InlineData("https://localtest.me/hooks")]
    public void TryCheckPublicHost_Accepts_WhenTheHostIsANameOrAPublicAddress(string url)
    {
        Assert.True(WebhookRules.TryCheckPublicHost(url, out var problem), problem);
    }
}
