package inventory

import (
	"context"
	"log"
	"time"

	pb "example.com/orders/gen/inventorypb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

type Client struct {
	inventoryClient pb.InventoryClient
}

func (c *Client) Reserve(sku string, qty int32) (*pb.ReserveReply, error) {
	// ruleid: grpc-call-without-deadline
	return c.inventoryClient.Reserve(context.Background(), &pb.ReserveRequest{Sku: sku, Qty: qty})
}

func Level(client pb.InventoryClient, sku string) int32 {
	// ruleid: grpc-call-without-deadline
	resp, err := client.GetLevel(context.TODO(), &pb.LevelRequest{Sku: sku})
	if err != nil {
		log.Printf("level %s: %v", sku, err)
		return 0
	}
	return resp.Level
}

func Connect(target string) *grpc.ClientConn {
	// ruleid: grpc-call-without-deadline
	conn, err := grpc.Dial(target, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithBlock())
	if err != nil {
		log.Fatal(err)
	}
	return conn
}

func (c *Client) Release(sku string, qty int32) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	// ok: grpc-call-without-deadline
	_, err := c.inventoryClient.Release(ctx, &pb.ReleaseRequest{Sku: sku, Qty: qty})
	return err
}

func (c *Client) Levels(ctx context.Context, skus []string) (*pb.LevelsReply, error) {
	// The caller's context carries the deadline.
	// ok: grpc-call-without-deadline
	return c.inventoryClient.GetLevels(ctx, &pb.LevelsRequest{Skus: skus})
}

func ConnectWithTimeout(target string) (*grpc.ClientConn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// ok: grpc-call-without-deadline
	return grpc.DialContext(ctx, target, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithBlock())
}

func ConnectLazily(target string) (*grpc.ClientConn, error) {
	// Non-blocking dial: returns at once, calls carry their own deadlines.
	// ok: grpc-call-without-deadline
	return grpc.Dial(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
}

func ConnectOrHang(target string) (*grpc.ClientConn, error) {
	// ruleid: grpc-call-without-deadline
	return grpc.DialContext(context.Background(), target, grpc.WithBlock())
}

func (c *Client) watchLevels(onChange func(*pb.LevelChange)) error {
	// A server stream kept open for the life of the client: a deadline would end it.
	// ok: grpc-call-without-deadline
	stream, err := c.inventoryClient.WatchLevels(context.Background(), &pb.WatchLevelsRequest{})
	if err != nil {
		return err
	}
	for {
		change, err := stream.Recv()
		if err != nil {
			return err
		}
		onChange(change)
	}
}
