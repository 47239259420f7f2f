package dev.switchboard.guardrails;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses a check must not call on behalf of text it was given (SSRF): everything that is not
 * a public unicast address — loopback, unspecified, link-local (with the cloud metadata endpoints
 * {@code 169.254.169.254} and {@code fd00:ec2::254}), private and unique-local ranges, shared address
 * space, benchmarking, documentation and reserved ranges, multicast, broadcast — and the IPv6 forms that
 * carry such an IPv4 address (mapped, compatible, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}).
 */
final class PrivateAddresses {
    private PrivateAddresses() {}

    /** Whether {@code address} is not a public unicast address. */
    static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress()
                || address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return privateV4(b);
        }
        if (address instanceof Inet6Address) {
            return privateV6(b);
        }
        return true;
    }

    private static boolean privateV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return a0 == 0 // 0/8 "this network"
                || a0 == 10
                || a0 == 127 // private, loopback
                || (a0 == 100 && (a1 & 0xc0) == 64) // 100.64/10 shared (carrier-grade NAT)
                || (a0 == 169 && a1 == 254) // link-local, metadata
                || (a0 == 172 && (a1 & 0xf0) == 16) // 172.16/12
                || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) // 192.0.0/24 IETF, 192.0.2/24 TEST-NET-1
                || (a0 == 192 && a1 == 88 && a2 == 99) // 6to4 relay anycast
                || (a0 == 192 && a1 == 168) // 192.168/16
                || (a0 == 198 && (a1 & 0xfe) == 18) // 198.18/15 benchmarking
                || (a0 == 198 && a1 == 51 && a2 == 100) // TEST-NET-2
                || (a0 == 203 && a1 == 0 && a2 == 113) // TEST-NET-3
                || a0 >= 224; // multicast, reserved, broadcast
    }

    private static boolean privateV6(byte[] b) {
        int first = b[0] & 0xff;
        if ((first & 0xfe) == 0xfc) {
            return true; // fc00::/7 unique local (fd00:ec2::254 among them)
        }
        if ((first == 0xfe && (b[1] & 0xc0) == 0xc0)) {
            return true; // fec0::/10 deprecated site-local
        }
        if (first == 0x20 && b[1] == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
            return true; // 2001:db8::/32 documentation
        }
        if (first == 0x20 && b[1] == 0x02) {
            return embeddedV4Private(b, 2); // 2002::/16 6to4 carries an IPv4 address
        }
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        if (zeroPrefix && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff))) {
            return embeddedV4Private(b, 12); // ::a.b.c.d compatible, ::ffff:a.b.c.d mapped
        }
        if (first == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return embeddedV4Private(b, 12); // 64:ff9b::/96 NAT64
        }
        return false;
    }

    private static boolean embeddedV4Private(byte[] b, int from) {
        byte[] v4 = {b[from], b[from + 1], b[from + 2], b[from + 3]};
        try {
            return isPrivate(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            return true;
        }
    }
}
