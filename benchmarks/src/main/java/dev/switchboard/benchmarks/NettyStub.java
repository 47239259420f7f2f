package dev.switchboard.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fast OpenAI-shaped upstream for benchmarks: Netty on 127.0.0.1, HTTP/1.1 keep-alive, event loops
 * instead of a thread per connection. Every {@code POST} gets the same answer: a fixed chat
 * completion, or — when the body asks for {@code "stream":true} — a fixed SSE stream of a configurable
 * number of content chunks followed by {@code data: [DONE]}. The stub does no JSON parsing, so what
 * it costs is the same for every caller.
 */
public final class NettyStub implements AutoCloseable {
    /** The fixed non-streamed answer, an OpenAI chat completion. */
    static final String CHAT_ANSWER =
            "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"Hello from the Netty stub\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":6,\"total_tokens\":15}}";

    private static final byte[] STREAM_MARKER = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup group;
    private final Channel server;
    private final byte[] answer;
    private final byte[][] events;
    private final AtomicLong requests = new AtomicLong();

    private NettyStub(int streamEvents, int ioThreads) {
        this.answer = CHAT_ANSWER.getBytes(StandardCharsets.UTF_8);
        this.events = new byte[streamEvents + 1][];
        for (int i = 0; i < streamEvents; i++) {
            events[i] = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word" + i
                            + " \"},\"finish_reason\":" + (i == streamEvents - 1 ? "\"stop\"" : "null") + "}]}\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        events[streamEvents] = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
        try {
            this.server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(16 * 1024 * 1024))
                                    .addLast(new Handler());
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .sync()
                    .channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("interrupted while binding the stub", e);
        }
    }

    /**
     * Starts a stub on an ephemeral loopback port.
     *
     * @param streamEvents content chunks in a streamed answer (before {@code [DONE]}), at least 1
     * @return the running stub; close it when done
     */
    public static NettyStub start(int streamEvents) {
        if (streamEvents < 1) {
            throw new IllegalArgumentException("streamEvents: found " + streamEvents + ", expected at least 1");
        }
        return new NettyStub(streamEvents, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** {@return the port the stub listens on} */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** {@return the OpenAI base URL of the stub, e.g. {@code http://127.0.0.1:40000/v1}} */
    public String openAiBaseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** {@return the requests answered so far} */
    public long requests() {
        return requests.get();
    }

    /** Stops the stub and its event loops. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static boolean asksForStream(ByteBuf body) {
        int n = body.readableBytes();
        int start = body.readerIndex();
        outer:
        for (int i = 0; i + STREAM_MARKER.length <= n; i++) {
            for (int j = 0; j < STREAM_MARKER.length; j++) {
                if (body.getByte(start + i + j) != STREAM_MARKER[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        /** A client that resets its connection (e.g. the JDK client closing an idle one) is not news. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            requests.incrementAndGet();
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (asksForStream(req.content())) {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers()
                        .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                if (!keepAlive) {
                    head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                ctx.write(head);
                for (byte[] event : events) {
                    // flushed one by one, as a provider sends tokens: time to first chunk is visible
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(event)));
                }
                var done = ctx.writeAndFlush(new DefaultLastHttpContent());
                if (!keepAlive) {
                    done.addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
            DefaultFullHttpResponse res = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(answer));
            res.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.length);
            if (keepAlive) {
                ctx.writeAndFlush(res);
            } else {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
