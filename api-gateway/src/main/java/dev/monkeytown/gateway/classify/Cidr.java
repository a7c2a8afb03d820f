package dev.monkeytown.gateway.classify;

/** An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a block of one. */
record Cidr(IpAddress network, int prefixLength) {

    static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        IpAddress network = IpAddress.parse(slash < 0 ? trimmed : trimmed.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("not an IP address block: '" + text + "'"));
        int bits = network.bytes().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IP address block: '" + text + "'");
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length of '" + text + "' must be 0.." + bits);
        }
        return new Cidr(network, prefix);
    }

    boolean contains(IpAddress address) {
        byte[] net = network.bytes();
        byte[] candidate = address.bytes();
        if (net.length != candidate.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (net[i] != candidate[i]) {
                return false;
            }
        }
        int restBits = prefixLength % 8;
        if (restBits == 0) {
            return true;
        }
        int mask = (0xff << (8 - restBits)) & 0xff;
        return (net[fullBytes] & mask) == (candidate[fullBytes] & mask);
    }
}
