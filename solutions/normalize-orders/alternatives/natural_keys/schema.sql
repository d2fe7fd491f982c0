-- A correct alternative: natural keys. The email is the customer's primary key and the
-- sku the product's, so order rows point at them directly, no id is generated, and the
-- same file runs on SQLite and PostgreSQL. The price of a cost: renaming an email or a sku
-- must cascade into every row that points at it (ON UPDATE CASCADE does it).

CREATE TABLE IF NOT EXISTS customers (
    email VARCHAR(254) PRIMARY KEY,
    name  VARCHAR(200) NOT NULL
);

CREATE TABLE IF NOT EXISTS products (
    sku  VARCHAR(64) PRIMARY KEY,
    name VARCHAR(200) NOT NULL
);

CREATE TABLE IF NOT EXISTS orders (
    order_id       INTEGER PRIMARY KEY,
    customer_email VARCHAR(254) NOT NULL REFERENCES customers (email) ON UPDATE CASCADE,
    ordered_at     TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS order_items (
    order_id         INTEGER NOT NULL,
    sku              VARCHAR(64) NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    quantity         INTEGER NOT NULL,
    CONSTRAINT order_items_pk PRIMARY KEY (order_id, sku),
    CONSTRAINT order_items_order FOREIGN KEY (order_id) REFERENCES orders (order_id),
    CONSTRAINT order_items_product FOREIGN KEY (sku) REFERENCES products (sku)
        ON UPDATE CASCADE
);

-- With the email in orders already, the view needs no join to customers.
CREATE VIEW order_totals AS
SELECT o.order_id, o.customer_email, SUM(i.unit_price_cents * i.quantity) AS total_cents
FROM orders o JOIN order_items i ON i.order_id = o.order_id
GROUP BY o.order_id, o.customer_email;
