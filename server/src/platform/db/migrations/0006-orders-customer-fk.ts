import { sql, type Kysely, type Migration } from 'kysely';

export const migration0006OrdersCustomerFk: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- an order's customer is a member of the order's store (checked when ordering, docs/orders-and-sales.md);
      -- deleting the member keeps their orders, unlinked. Links made before that check to no member of
      -- the order's store lead nowhere: they are dropped so the key can hold.
      update orders set customer_id = null
        where customer_id is not null
          and not exists (select 1 from customers where customers.id = orders.customer_id and customers.store_id = orders.store_id);
      alter table orders
        add constraint orders_customer_fk foreign key (customer_id) references customers(id) on delete set null;
    `.execute(db);
  },
};
