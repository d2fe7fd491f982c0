-- A correct alternative migration for the reference schema: window functions instead of
-- GROUP BY. Each customer keeps the name of its latest order (ROW_NUMBER over the
-- email's rows, newest first); each order's first row carries the order.

INSERT INTO customers (email, name)
SELECT customer_email, customer_name
FROM (SELECT customer_email, customer_name,
             ROW_NUMBER() OVER (PARTITION BY customer_email
                                ORDER BY ordered_at DESC, customer_name) AS newest
      FROM orders_flat) AS named
WHERE newest = 1;

INSERT INTO products (sku, name)
SELECT sku, product_name
FROM (SELECT sku, product_name,
             ROW_NUMBER() OVER (PARTITION BY sku ORDER BY order_id) AS n
      FROM orders_flat) AS sold
WHERE n = 1;

INSERT INTO orders (id, customer_id, ordered_at)
SELECT line.order_id, c.id, line.ordered_at
FROM (SELECT order_id, customer_email, ordered_at,
             ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY sku) AS n
      FROM orders_flat) AS line
JOIN customers c ON c.email = line.customer_email
WHERE line.n = 1;

INSERT INTO order_items (order_id, product_id, unit_price_cents, quantity)
SELECT f.order_id, p.id, f.unit_price_cents, f.quantity
FROM orders_flat f
JOIN products p ON p.sku = f.sku;
