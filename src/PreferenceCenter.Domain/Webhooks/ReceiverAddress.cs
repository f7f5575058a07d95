using System.Net;
using System.Net.Sockets;

namespace PreferenceCenter.Domain.Webhooks;

/// <summary>Where an IP address points, as far as sending a webhook to it is concerned.</summary>
public enum AddressRange
{
    /// <summary>A routable address on the internet: the only kind a production dispatcher connects to.</summary>
    Public,
    Loopback,

    /// <summary>RFC 1918 (10/8, 172.16/12, 192.168/16) and IPv6 site-local (fec0::/10).</summary>
    Private,

    /// <summary>169.254/16 (cloud metadata services live here) and fe80::/10.</summary>
    LinkLocal,

    /// <summary>fc00::/7.</summary>
    UniqueLocal,

    /// <summary>100.64/10, carrier-grade NAT and some clouds' internal ranges.</summary>
    SharedAddressSpace,
    Multicast,

    /// <summary>0.0.0.0/8 and ::, which Linux connects to as the local machine.</summary>
    Unspecified,
    Broadcast,

    /// <summary>Other special-purpose ranges that are not the internet (240/4, 192.0.0/24, 198.18/15, ::/96, 100::/64, 64:ff9b:1::/48).</summary>
    Reserved,
}

/// <summary>
/// The server-side request forgery rule for webhook receivers: an admin-typed URL must not make this server talk to
/// itself, its private network or a cloud metadata service. The dispatcher applies it to the address it is about to
/// connect to (after DNS, so a rebinding name cannot slip through); registration applies it to literal addresses.
/// IPv4 written inside IPv6 (::ffff:a.b.c.d, 64:ff9b::a.b.c.d) is judged by the IPv4 address it reaches.
/// </summary>
public static class ReceiverAddress
{
    public static bool IsPublic(IPAddress address) => Classify(address) == AddressRange.Public;

    public static AddressRange Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyV4(address.GetAddressBytes());
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressRange.Reserved;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return ClassifyV4(address.MapToIPv4().GetAddressBytes());
        }

        var b = address.GetAddressBytes();
        if (IPAddress.IPv6Loopback.Equals(address))
        {
            return AddressRange.Loopback;
        }

        if (IPAddress.IPv6Any.Equals(address))
        {
            return AddressRange.Unspecified;
        }

        // 64:ff9b::/96, the NAT64 well-known prefix, reaches the IPv4 address in its last four bytes.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return ClassifyV4(b[12..]);
        }

        return b switch
        {
            [0xff, ..] => AddressRange.Multicast,
            [0xfe, >= 0x80 and <= 0xbf, ..] => AddressRange.LinkLocal,
            [0xfe, >= 0xc0, ..] => AddressRange.Private,
            [>= 0xfc and <= 0xfd, ..] => AddressRange.UniqueLocal,
            [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01, ..] => AddressRange.Reserved,
            [0x01, 0x00, 0, 0, 0, 0, 0, 0, ..] => AddressRange.Reserved,
            _ when b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 => AddressRange.Reserved, // ::a.b.c.d, IPv4-compatible (deprecated)
            _ => AddressRange.Public,
        };
    }

    private static AddressRange ClassifyV4(byte[] b) => b switch
    {
        [0, ..] => AddressRange.Unspecified,
        [127, ..] => AddressRange.Loopback,
        [10, ..] => AddressRange.Private,
        [172, >= 16 and <= 31, ..] => AddressRange.Private,
        [192, 168, ..] => AddressRange.Private,
        [169, 254, ..] => AddressRange.LinkLocal,
        [100, >= 64 and <= 127, ..] => AddressRange.SharedAddressSpace,
        [255, 255, 255, 255] => AddressRange.Broadcast,
        [>= 224 and <= 239, ..] => AddressRange.Multicast,
        [>= 240, ..] => AddressRange.Reserved,
        [192, 0, 0, _] => AddressRange.Reserved,
        [198, 18 or 19, ..] => AddressRange.Reserved,
        _ => AddressRange.Public,
    };
}
