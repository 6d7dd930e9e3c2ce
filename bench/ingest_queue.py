#!/usr/bin/python3
"""bench/ingest_queue.py - the benchmark's queue on pipeline.accepted (Debian's python3-pika).

  ingest_queue.py declare|count|purge|delete AMQP_URI QUEUE

declare: the fanout exchange pipeline.accepted (as MassTransit declares it) and a durable queue bound to it, so
         every message Ingest publishes is kept and counted; count: prints the number of messages in the queue.
"""
import sys
import pika

command, uri, queue = sys.argv[1:4]
connection = pika.BlockingConnection(pika.URLParameters(uri))
channel = connection.channel()
if command == "declare":
    channel.exchange_declare("pipeline.accepted", exchange_type="fanout", durable=True)
    channel.queue_declare(queue, durable=True)
    channel.queue_bind(queue, "pipeline.accepted")
elif command == "count":
    print(channel.queue_declare(queue, passive=True).method.message_count)
elif command == "purge":
    channel.queue_purge(queue)
elif command == "delete":
    channel.queue_delete(queue)
else:
    sys.exit(f"unknown command {command}")
connection.close()
